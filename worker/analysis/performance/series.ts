/**
 * The performance time series (DESIGN §7.8): per hour for periods up to 7 days, else per day,
 * every bucket of the period present (rates null where nothing happened), so a chart's time
 * axis has no holes. Rates are the same formulas as the totals, per bucket.
 */
import type { SeriesHistRow, SeriesRow } from '../../db/insights/performance'
import type { DayRange } from '../rollup-days'
import { round } from '../numbers'
import { addTo, percentiles, type Histogram } from './histogram'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

export type SeriesPoint = {
  t: string
  connection_attempts: number
  connection_success_rate: number | null
  connection_latency_p50_ms: number | null
  connection_latency_p95_ms: number | null
  error_rate: number | null
  feature_uses: number
  feature_success_rate: number | null
}

type Bucket = {
  conn: { attempts: number; completed: number; failed: number }
  feat: { uses: number; attempts: number; completed: number; failed: number }
  latency: Histogram
}

export function performanceSeries(
  rows: SeriesRow[],
  hist: SeriesHistRow[],
  grain: 'hours' | 'days',
  days: DayRange,
  end: number,
): SeriesPoint[] {
  const step = grain === 'hours' ? HOUR_MS : DAY_MS
  const start = Date.parse(`${days.from_day}T00:00:00Z`)
  const last = Math.min(end, Date.parse(`${days.to_day}T00:00:00Z`) + DAY_MS) - 1
  const buckets = new Map<number, Bucket>()
  for (let t = start; t <= last; t += step) {
    buckets.set(t, {
      conn: { attempts: 0, completed: 0, failed: 0 },
      feat: { uses: 0, attempts: 0, completed: 0, failed: 0 },
      latency: new Map(),
    })
  }
  const at = (day: string, hour: number | null) =>
    buckets.get(Date.parse(`${day}T00:00:00Z`) + (hour ?? 0) * HOUR_MS)
  for (const r of rows) {
    const b = at(r.day, r.hour)
    if (!b) continue
    if (r.kind === 'connection') {
      b.conn.attempts += r.attempts
      b.conn.completed += r.completed
      b.conn.failed += r.failed
    } else if (r.kind === 'feature') {
      b.feat.uses += r.events - r.started
      b.feat.attempts += r.attempts
      b.feat.completed += r.completed
      b.feat.failed += r.failed
    }
  }
  for (const r of hist) {
    const b = at(r.day, r.hour)
    if (b) addTo(b.latency, r.bucket, r.n, r.s)
  }
  const share = (x: number, n: number) => (n > 0 ? round(x / n, 4) : null)
  return [...buckets].map(([t, b]) => {
    const q = percentiles(b.latency, [0.5, 0.95])
    return {
      t: new Date(t).toISOString(),
      connection_attempts: b.conn.attempts,
      connection_success_rate: share(b.conn.completed, b.conn.attempts),
      connection_latency_p50_ms: q.get(0.5)!,
      connection_latency_p95_ms: q.get(0.95)!,
      error_rate: share(b.conn.failed + b.feat.failed, b.conn.attempts + b.feat.attempts),
      feature_uses: b.feat.uses,
      feature_success_rate: share(b.feat.completed, b.feat.attempts),
    }
  })
}
