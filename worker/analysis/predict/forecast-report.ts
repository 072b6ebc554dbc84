/**
 * The answer of `GET .../forecast` (DESIGN §7.10), from rollup rows: daily revenue (amounts
 * charged minus refunded) and MRR at each day's end over the history — computed by the revenue
 * analysis (analysis/revenue), so the numbers are /revenue's — each forecast by
 * series-forecast.ts; and per institution when its metrics' trends cross their thresholds
 * (threshold-trends.ts). Pure: rows in, answer out.
 */
import type { SourceOf } from '../performance/error-sources'
import { dailySeries } from '../revenue/series'
import { userHistories } from '../revenue/timeline'
import { units } from '../revenue/calendar'
import type { CarriedState, RevenueDayRow } from '../revenue/types'
import type { Threshold } from '../thresholds'
import { forecastSeries, type SeriesForecast } from './series-forecast'
import {
  headingFor,
  institutionTrends,
  type Heading,
  type InstitutionTrends,
  type LatencyDayRow,
  type OutcomeDayRow,
  type ReasonDayRow,
} from './threshold-trends'

export type HistoryPoint = { day: string; value: number }
export type SeriesAnswer = SeriesForecast & { history: HistoryPoint[] }

export type ForecastInput = {
  /** The first day with revenue rows (null: none in the history), its rows and prior states. */
  revenue: { from: string | null; carried: CarriedState[]; rows: RevenueDayRow[] }
  perf: { outcomes: OutcomeDayRow[]; reasons: ReasonDayRow[]; latency: LatencyDayRow[] }
}

export type ForecastOptions = {
  /** The last whole day: history ends on it, the forecast starts the day after. */
  asOf: string
  horizon: number
  trendFrom: string
  minSample: number
  thresholds: (metric: string) => Threshold | undefined
  sourceOf: SourceOf
}

export type ForecastReport = {
  revenue: SeriesAnswer
  mrr: SeriesAnswer
  institutions: InstitutionTrends[]
  institutions_truncated: boolean
  heading_for_threshold: Heading[]
}

export function forecastReport(input: ForecastInput, o: ForecastOptions): ForecastReport {
  const { from } = input.revenue
  let revenue: HistoryPoint[] = []
  let mrr: HistoryPoint[] = []
  if (from && from <= o.asOf) {
    const histories = userHistories(input.revenue.carried, input.revenue.rows).values()
    const days = dailySeries(histories, from, o.asOf).days
    revenue = days.map((d) => ({ day: d.day, value: units(d.charged - d.refunded) }))
    mrr = days.map((d) => ({ day: d.day, value: units(d.mrr) }))
  }
  const answer = (history: HistoryPoint[], what: string): SeriesAnswer => ({
    ...forecastSeries(
      history.map((p) => p.value),
      o.asOf,
      o.horizon,
      what,
    ),
    history,
  })
  const trends = institutionTrends(input.perf, {
    from: o.trendFrom,
    asOf: o.asOf,
    horizon: o.horizon,
    minSample: o.minSample,
    thresholds: o.thresholds,
    sourceOf: o.sourceOf,
  })
  return {
    revenue: answer(revenue, 'revenue'),
    mrr: answer(mrr, 'MRR'),
    institutions: trends.institutions,
    institutions_truncated: trends.truncated,
    heading_for_threshold: headingFor(trends.institutions),
  }
}
