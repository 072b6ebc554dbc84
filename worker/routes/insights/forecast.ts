/**
 * `GET /v1/sites/:site/forecast` (DESIGN §7.10): daily revenue and MRR over the last year
 * forecast `horizon` days ahead with 80% and 95% intervals and the method's holdout score,
 * and per institution when each §7.8 metric's trend over the last `trend_days` crosses its
 * warning and critical thresholds. History ends on the last whole UTC day (yesterday). Reads
 * rollups only (db/insights/forecast.ts); the numbers come from analysis/predict.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { errorSources } from '../../analysis/performance/error-sources'
import { forecastReport } from '../../analysis/predict/forecast-report'
import { daysBefore } from '../../analysis/rollup-days'
import { threshold } from '../../analysis/thresholds'
import { institutionDays, revenueHistory } from '../../db/insights/forecast'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { slug } from '../../schemas'
import type { InsightRequest } from './load'
import { insightRequestFor, storedAnswer } from './request'

/** The revenue history a forecast is fitted on: the last year at most. */
export const HISTORY_DAYS = 365
const DAY_MS = 86_400_000

const days = (min: number, max: number, fallback: number) => {
  const message = `a whole number of days from ${min} to ${max}`
  return z.coerce
    .number({ message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .default(fallback)
}

export const ForecastQuerySchema = z.strictObject(
  {
    /** Days ahead to forecast, and to look for a threshold crossing in. */
    horizon: days(1, 90, 30),
    /** Days of each institution's metrics the trend line is fitted on. */
    trend_days: days(7, 90, 28),
    institution: slug.optional(),
    refresh: z.enum(['1', 'true', '0', 'false']).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `forecast takes horizon, trend_days, institution and refresh, not ${issue.keys.join(', ')}: the history is always the last year`
        : undefined,
  },
)

type ForecastQuery = z.infer<typeof ForecastQuerySchema>

export async function loadForecast(r: InsightRequest, q: ForecastQuery) {
  const asOf = new Date(r.now - DAY_MS).toISOString().slice(0, 10)
  const trendFrom = daysBefore(asOf, q.trend_days - 1)
  const [revenue, perf] = await Promise.all([
    revenueHistory(r.db, r.siteId, daysBefore(asOf, HISTORY_DAYS - 1), asOf),
    institutionDays(r.db, r.siteId, { from: trendFrom, to: asOf }, q.institution ?? null),
  ])
  const report = forecastReport(
    { revenue, perf },
    {
      asOf,
      horizon: q.horizon,
      trendFrom,
      minSample: r.config.min_sample,
      thresholds: (name) => threshold(r.config, name),
      sourceOf: errorSources(r.config.error_sources),
    },
  )
  return {
    as_of: asOf,
    horizon: q.horizon,
    trend_days: q.trend_days,
    currency: r.config.currency,
    filters: { institution: q.institution ?? null },
    min_sample: r.config.min_sample,
    ...report,
  }
}

const forecast = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(ForecastQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequestFor(c.env.DB, c.req.param('site')!, {}, Date.now())
    return storedAnswer(c, r, q, () => loadForecast(r, q))
  },
)

export default forecast
