/**
 * `GET /v1/sites/:site/dashboard`: what the overview page shows, in one call — the period's
 * KPIs and daily series, the top opportunities, the worst drop-offs and each workflow's
 * completion. MRR and its change over the period are `/revenue`'s figures (overview-mrr.ts).
 */
import { Hono } from 'hono'
import { AnalysisQuerySchema } from '../../analysis/period'
import { round, rate } from '../../analysis/numbers'
import { rollupDays } from '../../analysis/rollup-days'
import { outcomeCounts } from '../../analysis/workflows'
import { activity } from '../../db/insights/activity'
import type { AppEnv } from '../../env'
import { parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { loadOpportunities, readsOrdered, type InsightRequest } from './load'
import { overviewMrr } from './overview-mrr'
import {
  insightRequest,
  insightRequestFor,
  periodOf,
  prepareAnswer,
  storedAnswer,
  storedQuery,
} from './request'

export const QuerySchema = storedQuery(AnalysisQuerySchema)

const dashboard = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, () => overview(r))
  },
)

/**
 * The question a person opening the dashboard asks first — the default period, no filters —
 * answered by cron once the site's rollups changed, so that the first look is a stored answer.
 */
export async function prepareOverview(db: D1Database, siteId: string, now: number) {
  const q = parse(QuerySchema, {}, 'query')
  const r = await insightRequestFor(db, siteId, q, now)
  await prepareAnswer(`/v1/sites/${siteId}/dashboard`, r, q, () => overview(r))
}

async function overview(r: InsightRequest) {
  const [act, found, mrr] = await Promise.all([
    readsOrdered(r).then((o) => activity(r.db, r.siteId, rollupDays(r.range), r.filters, o)),
    loadOpportunities(r),
    overviewMrr(r),
  ])
  const workflows = found.dropoffs.workflows.map(({ def, runs }) => ({
    name: def.name,
    ...outcomeCounts(runs),
  }))
  const decided = workflows.reduce((s, w) => s + w.started - w.in_progress, 0)
  const completed = workflows.reduce((s, w) => s + w.completed, 0)
  const attempts = found.connections.reduce((s, x) => s + x.attempts, 0)
  const connected = found.connections.reduce((s, x) => s + x.completed, 0)
  return {
    period: periodOf(r),
    truncated: found.truncated,
    kpis: {
      active_users: act.total.active_users,
      sessions: act.total.sessions,
      events: act.total.events,
      revenue: round(act.total.revenue, 2),
      ...mrr,
      workflow_completion_rate: round(rate(completed, decided), 4),
      connection_success_rate: round(rate(connected, attempts), 4),
    },
    series: act.days.map((d) => ({ ...d, revenue: round(d.revenue, 2) })),
    top_opportunities: found.opportunities.slice(0, 3),
    worst_dropoffs: found.dropoffs.points.filter((p) => p.dropped > 0).slice(0, 5),
    workflows,
  }
}

export default dashboard
