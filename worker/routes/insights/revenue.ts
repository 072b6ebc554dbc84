/**
 * `GET /v1/sites/:site/revenue` (DESIGN §7.9): MRR with its five movements per month and per
 * day, and the eight revenue metrics, for the period, optionally for the users of a tier, a
 * device or a feature. Reads rollups only (db/insights/revenue.ts); the numbers come from the
 * pure analysis (analysis/revenue).
 */
import { Hono } from 'hono'
import { AnalysisQuerySchema, toRange } from '../../analysis/period'
import { analysisStart, revenueReport, type RevenueInput } from '../../analysis/revenue'
import { onlyUsers } from '../../analysis/revenue/filter'
import type { RevenueResponse } from '../../analysis/revenue/types'
import { rollupDays } from '../../analysis/rollup-days'
import { revenueRows } from '../../db/insights/revenue'
import { getConfig } from '../../db/sites'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { revenueUsers } from './revenue-users'

export const RevenueQuerySchema = AnalysisQuerySchema

const revenue = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(RevenueQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const db = c.env.DB
    const siteId = c.req.param('site')!
    const range = toRange(q)
    const { from_day: from, to_day: to } = rollupDays(range)
    const windowFrom = analysisStart(from, to)
    const days = { from, to }
    const loading = revenueRows(db, siteId, { windowFrom, from, to }).then(
      (rows): RevenueInput => ({ from, to, windowFrom, ...rows }),
    )
    const [config, all, keep] = await Promise.all([
      getConfig(db, siteId),
      loading,
      // The feature filter reads the users of `featureUses`, loaded anyway.
      revenueUsers(
        db,
        siteId,
        days,
        q,
        loading,
        q.feature ? loading.then((i) => i.featureUses) : undefined,
      ),
    ])
    const input = keep ? onlyUsers(all, keep) : all
    const body: RevenueResponse = {
      period: {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        days: range.days,
      },
      currency: config.currency,
      filters: { tier: q.tier ?? null, device: q.device ?? null, feature: q.feature ?? null },
      ...revenueReport(input),
    }
    return c.json(body)
  },
)

export default revenue
