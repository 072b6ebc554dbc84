/**
 * `GET /v1/sites/:site/retention` (DESIGN §7.5): cohorts by first-seen day or week, `on` or
 * `on_or_after`, optionally only users of a feature. Reads rollups, never raw events.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { AnalysisQuerySchema, toRange } from '../../analysis/period'
import { INTERVAL_DAYS, cohortStarts, retentionTable } from '../../analysis/retention'
import { activityPatterns } from '../../db/insights/retention'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'

export const RetentionQuerySchema = AnalysisQuerySchema.safeExtend({
  interval: z.enum(['day', 'week']).default('week'),
  mode: z.enum(['on', 'on_or_after']).default('on'),
})

const retention = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(RetentionQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const { starts, fromDay, toDay, partialLast } = cohortStarts(toRange(q), q.interval)
    const patterns = await activityPatterns(c.env.DB, {
      siteId: c.req.param('site')!,
      fromDay,
      toDay,
      intervalDays: INTERVAL_DAYS[q.interval],
      tier: q.tier,
      device: q.device,
      feature: q.feature,
    })
    const lastDay = new Date(Date.parse(`${toDay}T00:00:00Z`) - 86_400_000).toISOString()
    return c.json({
      range: { from: fromDay, to: lastDay.slice(0, 10) },
      interval: q.interval,
      mode: q.mode,
      feature: q.feature ?? null,
      ...retentionTable(patterns, { starts, mode: q.mode, partialLast }),
    })
  },
)

export default retention
