/**
 * `GET /v1/sites/:site/live` (DESIGN §6): the last 5 minutes from raw events — events, active
 * users and sessions, by type and per minute. Events up to 5 minutes ahead (client clocks,
 * which ingest accepts) count in the last minute.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { liveMinutes, liveTotals } from '../../db/insights/live'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'

export const QuerySchema = z.object({})
const WINDOW_MS = 5 * 60_000

const live = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const siteId = c.req.param('site')!
    const now = Date.now()
    const from = now - WINDOW_MS
    const to = now + WINDOW_MS
    const [totals, minutes] = await Promise.all([
      liveTotals(c.env.DB, siteId, from, to),
      liveMinutes(c.env.DB, siteId, from, to),
    ])
    const byType: Record<string, number> = {}
    const perMinute = [0, 0, 0, 0, 0]
    for (const m of minutes) {
      byType[m.type] = (byType[m.type] ?? 0) + m.events
      perMinute[Math.min(4, m.minute)] += m.events
    }
    return c.json({
      window_s: WINDOW_MS / 1000,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      ...totals,
      by_type: byType,
      per_minute: perMinute.map((events, i) => ({
        start: new Date(from + i * 60_000).toISOString(),
        events,
      })),
    })
  },
)

export default live
