/**
 * `GET /v1/sites/:site/performance` (DESIGN §7.8): bank-connection and feature health, overall,
 * per institution and per feature, with an hourly (periods up to 7 days) or daily series.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { AnalysisQuerySchema } from '../../analysis/period'
import { errorSources } from '../../analysis/performance/error-sources'
import { performanceReport } from '../../analysis/performance/report'
import { performanceSeries } from '../../analysis/performance/series'
import { rollupDays } from '../../analysis/rollup-days'
import { threshold, thresholdsOf } from '../../analysis/thresholds'
import { performanceRows } from '../../db/insights/performance'
import type { AppEnv } from '../../env'
import { parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { slug } from '../../schemas'
import type { InsightRequest } from './load'
import {
  insightRequest,
  insightRequestFor,
  periodOf,
  prepareAnswer,
  storedAnswer,
  storedQuery,
} from './request'

const DAY_MS = 86_400_000
/**
 * Connected users: a success within the period, or at least within the 90 days before its end,
 * so a connection that stopped weeks ago still counts as stopped.
 */
const CONNECTED_LOOKBACK_MS = 90 * DAY_MS

export const QuerySchema = storedQuery(
  AnalysisQuerySchema.and(z.object({ institution: slug.optional() })),
)

export async function loadPerformance(r: InsightRequest, institution?: string) {
  const days = rollupDays(r.range)
  const dayCount = Math.round((Date.parse(days.to_day) - Date.parse(days.from_day)) / DAY_MS) + 1
  const grain = r.range.days <= 7 ? 'hours' : 'days'
  const end = Math.min(r.range.to, r.now)
  const filters = { ...r.filters, institution }
  const rows = await performanceRows(r.db, {
    siteId: r.siteId,
    days,
    grain,
    filters,
    connectedFrom: end - Math.max(r.range.to - r.range.from, CONNECTED_LOOKBACK_MS),
    to: end,
    tiers: r.config.tiers,
  })
  const report = performanceReport(
    rows,
    {
      thresholds: (name) => threshold(r.config, name),
      minSample: r.config.min_sample,
      sourceOf: errorSources(r.config.error_sources),
      days: dayCount,
      // Freshness is a reading of now: a period that has ended gets none.
      asOf: r.range.to >= r.now ? r.now : null,
    },
    filters,
  )
  return {
    period: periodOf(r),
    granularity: grain === 'hours' ? ('hour' as const) : ('day' as const),
    filters: {
      tier: r.filters.tier ?? null,
      device: r.filters.device ?? null,
      feature: r.filters.feature ?? null,
      institution: institution ?? null,
    },
    min_sample: r.config.min_sample,
    thresholds: thresholdsOf(r.config),
    ...report,
    series: performanceSeries(rows.series, rows.seriesHist, grain, days, end),
  }
}

/** The Performance view's first look (30 days, no filters), computed by cron after a rebuild. */
export async function preparePerformance(db: D1Database, siteId: string, now: number) {
  const q = parse(QuerySchema, {}, 'query')
  const r = await insightRequestFor(db, siteId, q, now)
  await prepareAnswer(`/v1/sites/${siteId}/performance`, r, q, () => loadPerformance(r))
}

const performance = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, () => loadPerformance(r, q.institution))
  },
)

export default performance
