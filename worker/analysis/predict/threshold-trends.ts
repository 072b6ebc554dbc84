/**
 * When each institution's §7.8 metrics will cross their warning and critical thresholds
 * (DESIGN §7.10), from daily rollup rows: per metric a daily value over the trend window, a
 * least-squares line through the trailing run of consecutive days that have one (at least 7,
 * ending on the last whole day), and where that line crosses each threshold with the 80%
 * interval of crossing.ts. Otherwise say why not: the trend is already past the threshold,
 * is moving away from it (or flat), or reaches it only beyond the horizon; too few days or
 * observations is `insufficient_data` with the reason, never a date.
 */
import type { ErrorSource, SourceOf } from '../performance/error-sources'
import { addTo, percentiles, type Histogram } from '../performance/histogram'
import { dayAfter, daysBetween } from '../revenue/calendar'
import type { Threshold } from '../thresholds'
import { crossing, lineFit } from './crossing'

/** A trend needs this many consecutive days with a value (crossing.ts refuses fewer). */
export const MIN_TREND_DAYS = 7
/** At most this many institutions, the busiest first. */
export const MAX_FORECAST_INSTITUTIONS = 50

export const INSTITUTION_METRICS = [
  'connection_success_rate',
  'success_rate_excl_user_errors',
  'connection_latency_p95_ms',
  'error_rate',
] as const
export type InstitutionMetric = (typeof INSTITUTION_METRICS)[number]

export type OutcomeDayRow = {
  day: string
  institution: string
  kind: string // connection | feature
  attempts: number
  completed: number
  failed: number
  abandoned: number
}
export type ReasonDayRow = {
  day: string
  institution: string
  status: string
  reason: string
  events: number
}
export type LatencyDayRow = {
  day: string
  institution: string
  bucket: number
  n: number
  s: number
}

export type CrossingAnswer =
  | {
      status: 'crosses'
      /** Days after `as_of` on which the trend line is first beyond the threshold. */
      in_days: number
      date: string
      /** 80% interval of that day; the later end null when not within the horizon. */
      in_days_80: [number, number | null]
      dates_80: [string, string | null]
    }
  | { status: 'already_past' | 'not_heading_there' | 'beyond_horizon' }

export type MetricTrend =
  | {
      metric: InstitutionMetric
      status: 'ok'
      threshold: Threshold
      /** Observations (attempts, or latency samples) over the days fitted. */
      n: number
      days_fitted: number
      first_day: string
      /** The line's value on `as_of` and its change per day (rates 0–1, latency ms). */
      trend_value: number
      slope_per_day: number
      warning: CrossingAnswer
      critical: CrossingAnswer
    }
  | {
      metric: InstitutionMetric
      status: 'insufficient_data'
      threshold: Threshold
      n: number
      reason: string
    }

export type InstitutionTrends = { institution: string; attempts: number; metrics: MetricTrend[] }

type DayAcc = {
  conn: { attempts: number; completed: number; failed: number; abandoned: number }
  feat: { attempts: number; failed: number }
  userErrors: number
  latency: Histogram
}

export type TrendOptions = {
  from: string
  asOf: string
  horizon: number
  minSample: number
  thresholds: (metric: string) => Threshold | undefined
  sourceOf: SourceOf
}

export function institutionTrends(
  rows: { outcomes: OutcomeDayRow[]; reasons: ReasonDayRow[]; latency: LatencyDayRow[] },
  o: TrendOptions,
): { institutions: InstitutionTrends[]; truncated: boolean } {
  const days = daysBetween(o.from, o.asOf)
  const index = new Map(days.map((d, i) => [d, i]))
  const byInst = new Map<string, DayAcc[]>()
  const accOf = (institution: string, day: string): DayAcc | undefined => {
    const i = index.get(day)
    if (i === undefined || !institution) return undefined
    let series = byInst.get(institution)
    if (!series) {
      series = days.map(() => ({
        conn: { attempts: 0, completed: 0, failed: 0, abandoned: 0 },
        feat: { attempts: 0, failed: 0 },
        userErrors: 0,
        latency: new Map(),
      }))
      byInst.set(institution, series)
    }
    return series[i]
  }
  for (const r of rows.outcomes) {
    const a = accOf(r.institution, r.day)
    if (!a) continue
    if (r.kind === 'connection') {
      a.conn.attempts += r.attempts
      a.conn.completed += r.completed
      a.conn.failed += r.failed
      a.conn.abandoned += r.abandoned
    } else {
      a.feat.attempts += r.attempts
      a.feat.failed += r.failed
    }
  }
  for (const r of rows.reasons) {
    const a = accOf(r.institution, r.day)
    if (a && (o.sourceOf(r.status, r.reason) as ErrorSource) === 'user') a.userErrors += r.events
  }
  for (const r of rows.latency) {
    const a = accOf(r.institution, r.day)
    if (a) addTo(a.latency, r.bucket, r.n, r.s)
  }
  const all = [...byInst].map(([institution, series]) => ({
    institution,
    series,
    attempts: series.reduce((s, d) => s + d.conn.attempts, 0),
  }))
  all.sort((a, b) => b.attempts - a.attempts || (a.institution < b.institution ? -1 : 1))
  const kept = all.slice(0, MAX_FORECAST_INSTITUTIONS)
  return {
    truncated: all.length > kept.length,
    institutions: kept.map(({ institution, series, attempts }) => ({
      institution,
      attempts,
      metrics: INSTITUTION_METRICS.flatMap((metric) => {
        const t = o.thresholds(metric)
        return t ? [metricTrend(metric, dailyValues(metric, series), t, days, o)] : []
      }),
    })),
  }
}

/** Each day's value of `metric` and the observations behind it (null: none that day). */
function dailyValues(metric: InstitutionMetric, series: DayAcc[]) {
  return series.map((d): { value: number | null; n: number } => {
    const { attempts, completed, failed, abandoned } = d.conn
    switch (metric) {
      case 'connection_success_rate':
        return { value: attempts ? completed / attempts : null, n: attempts }
      case 'success_rate_excl_user_errors': {
        const n = attempts - Math.min(d.userErrors, failed + abandoned)
        return { value: n > 0 ? completed / n : null, n }
      }
      case 'connection_latency_p95_ms': {
        let n = 0
        for (const [c] of d.latency.values()) n += c
        return { value: n ? percentiles(d.latency, [0.95]).get(0.95)! : null, n }
      }
      case 'error_rate': {
        const n = attempts + d.feat.attempts
        return { value: n ? (failed + d.feat.failed) / n : null, n }
      }
    }
  })
}

function metricTrend(
  metric: InstitutionMetric,
  values: { value: number | null; n: number }[],
  threshold: Threshold,
  days: string[],
  o: TrendOptions,
): MetricTrend {
  // The trailing run of consecutive days with a value, ending on the last whole day.
  let start = values.length
  while (start > 0 && values[start - 1].value !== null) start--
  const run = values.slice(start)
  const n = run.reduce((s, v) => s + v.n, 0)
  const insufficient = (reason: string): MetricTrend => ({
    metric,
    status: 'insufficient_data',
    threshold,
    n,
    reason,
  })
  if (run.length === 0) return insufficient(`no ${metric} data on ${o.asOf}, the last whole day`)
  if (run.length < MIN_TREND_DAYS) {
    return insufficient(
      `${run.length} consecutive day${run.length === 1 ? '' : 's'} with data up to ${o.asOf}; a trend needs ${MIN_TREND_DAYS}`,
    )
  }
  if (n < o.minSample) return insufficient(`${n} observations; a trend needs ${o.minSample}`)
  const y = run.map((v) => v.value!)
  const line = lineFit(y)
  const answer = (limit: number): CrossingAnswer => {
    const c = crossing(y, limit, threshold.direction, o.horizon)!
    if (c.status === 'already') return { status: 'already_past' }
    if (c.status === 'none') {
      const toward = threshold.direction === 'below' ? line.slope < 0 : line.slope > 0
      return { status: toward ? 'beyond_horizon' : 'not_heading_there' }
    }
    const [early, late] = c.in_days_80
    return {
      status: 'crosses',
      in_days: c.in_days,
      date: dayAfter(o.asOf, c.in_days),
      in_days_80: [early, late],
      dates_80: [dayAfter(o.asOf, early), late === null ? null : dayAfter(o.asOf, late)],
    }
  }
  const ms = metric.endsWith('_ms')
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits
  return {
    metric,
    status: 'ok',
    threshold,
    n,
    days_fitted: run.length,
    first_day: days[start],
    trend_value: round(line.intercept + line.slope * (line.n - 1), ms ? 0 : 4),
    slope_per_day: round(line.slope, ms ? 1 : 6),
    warning: answer(threshold.warning),
    critical: answer(threshold.critical),
  }
}

export type Heading = {
  institution: string
  metric: InstitutionMetric
  level: 'warning' | 'critical'
  in_days: number
  date: string
  in_days_80: [number, number | null]
}

/**
 * Every crossing ahead, soonest first: for each metric its critical crossing, and its warning
 * one when the trend is not yet past warning.
 */
export function headingFor(institutions: InstitutionTrends[]): Heading[] {
  const out: Heading[] = []
  for (const i of institutions) {
    for (const m of i.metrics) {
      if (m.status !== 'ok') continue
      for (const level of ['warning', 'critical'] as const) {
        const c = m[level]
        if (c.status !== 'crosses') continue
        out.push({
          institution: i.institution,
          metric: m.metric,
          level,
          in_days: c.in_days,
          date: c.date,
          in_days_80: c.in_days_80,
        })
      }
    }
  }
  return out.sort(
    (a, b) =>
      a.in_days - b.in_days ||
      (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1) ||
      (a.institution < b.institution ? -1 : a.institution > b.institution ? 1 : 0),
  )
}
