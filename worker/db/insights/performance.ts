/**
 * What /performance (DESIGN §7.8) reads, all from rollups (migrations/0008, 0003, 0004, 0020):
 * the period's outcome counts, value histograms and failure reasons per (kind, institution,
 * feature, operation); the hourly or daily series; connected users' latest successes; and, per
 * institution and feature, their users' activity, revenue and upgrades.
 */
import type { DayRange } from '../../analysis/rollup-days'
import type { SiteConfig } from '../../schemas'
import { readOrder, through } from './read-order'

export { FIRST_DAY_SQL, readsInOrder } from './read-order'

export type PerfFilters = { tier?: string; device?: string; feature?: string; institution?: string }

/** ?1 site, ?2–?3 days, ?4 tier, ?5 device, ?6 feature, ?7 institution. */
const WHERE = `site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  AND (?6 IS NULL OR feature = ?6) AND (?7 IS NULL OR institution = ?7)`
const KEY = 'kind, institution, feature, operation'
const COUNTS = `sum(events) AS events, sum(started) AS started, sum(attempts) AS attempts, sum(completed) AS completed,
  sum(failed) AS failed, sum(abandoned) AS abandoned, sum(value_n) AS value_n,
  sum(value_sum) AS value_sum`

/** A latency sample: a connection's value, or a backend's `connection_latency` metric. */
const IS_LATENCY = `(kind = 'connection' OR (kind = 'metric' AND operation = 'connection_latency'))`

export type Key = { kind: string; institution: string; feature: string; operation: string }
export type Counts = {
  events: number
  started: number
  attempts: number
  completed: number
  failed: number
  abandoned: number
  value_n: number
  value_sum: number
}
export type TotalsRow = Key & Counts
export type HistRow = Key & { bucket: number; n: number; s: number }
export type ReasonRow = Omit<Key, 'operation'> & { status: string; reason: string; events: number }
export type SeriesRow = { day: string; hour: number | null; kind: string } & Counts
export type SeriesHistRow = {
  day: string
  hour: number | null
  bucket: number
  n: number
  s: number
}
export type ConnectedRow = { institution: string; last_ok: number }
export type SegmentRow = {
  dim: 'all' | 'institution' | 'feature'
  key: string
  users: number
  user_days: number
  sessions: number
  revenue: number
  eligible: number
  upgraded: number
}

export const PERF_TOTALS_SQL = `SELECT ${KEY}, ${COUNTS}
FROM rollup_perf_days WHERE ${WHERE}
GROUP BY ${KEY} LIMIT 5000`

/** The period's value buckets per key, summed from rollup_perf_buckets (migrations/0020). */
export const histSql = (ordered: boolean) => `SELECT ${KEY}, bucket, sum(value_n) AS n,
  sum(value_sum) AS s
FROM rollup_perf_buckets ${through('rollup_perf_buckets_key', ordered)} WHERE ${WHERE}
GROUP BY ${KEY}, bucket LIMIT 50000`

/** `WHERE` for `table` joined with json_each, whose `key` and `value` would shadow its columns. */
const whereOf = (table: string) =>
  WHERE.replace(/\b(site_id|day|tier|device|feature|institution)\b/g, `${table}.$1`)

export const PERF_REASONS_SQL = `SELECT kind, institution, feature, status, reason,
  sum(events) AS events
FROM rollup_perf_reasons WHERE ${WHERE}
GROUP BY kind, institution, feature, status, reason LIMIT 5000`

/**
 * Per hour (`grain` hours) or per day, each kind's counts; latency buckets per time bucket. A
 * day's buckets are rows, grouped in their primary key's order (day, kind, bucket) so SQLite
 * sorts nothing: a day and bucket may come once per kind, and the series adds them up. An
 * hour's are in `hist` (periods up to 7 days, a few thousand entries).
 */
export function seriesSql(grain: 'hours' | 'days') {
  const hour = grain === 'hours' ? 'hour' : 'NULL'
  const t = `rollup_perf_${grain}`
  const h = 'rollup_perf_hours'
  const hoursLatency = `SELECT ${h}.day, ${h}.hour AS hour,
  CAST(j.key AS INTEGER) AS bucket, sum(json_extract(j.value, '$[0]')) AS n,
  sum(json_extract(j.value, '$[1]')) AS s
FROM ${h}, json_each(${h}.hist) j
WHERE ${whereOf(h)} AND ${h}.hist IS NOT NULL
  AND ${IS_LATENCY.replace(/\b(kind|operation)\b/g, `${h}.$1`)}
GROUP BY 1, 2, 3 LIMIT 100000`
  const daysLatency = `SELECT day, NULL AS hour, bucket, sum(value_n) AS n, sum(value_sum) AS s
FROM rollup_perf_buckets WHERE ${WHERE} AND ${IS_LATENCY}
GROUP BY day, kind, bucket LIMIT 100000`
  return {
    counts: `SELECT day, ${hour} AS hour, kind, ${COUNTS}
FROM ${t} WHERE ${WHERE}
GROUP BY day, ${grain === 'hours' ? 'hour, ' : ''}kind LIMIT 10000`,
    latency: grain === 'hours' ? hoursLatency : daysLatency,
  }
}

/**
 * Users connected to each institution during the period: a first success before its end and a
 * latest success after ?2 (ms). ?3 the period's end (ms), ?4 tier, ?5 device, ?6 institution.
 */
export const CONNECTED_SQL = `SELECT institution, last_ok FROM connection_users
WHERE site_id = ?1 AND last_ok >= ?2 AND first_ok < ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  AND (?6 IS NULL OR institution = ?6)
LIMIT 200000`

const USER_FILTERS = `site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)`

/**
 * One row per active user of the period (active days, sessions, revenue; `eligible` when their
 * first priced tier is below the top price, `upgraded` when they were later active in a dearer
 * one), then the users of each institution (any connection) and of each feature (any use), and
 * the sums over all. When `ordered` (readsInOrder), every grouping streams from an index in its
 * own order: users by uid, then each institution's and feature's distinct users; those are
 * looked up in `u` through the automatic index SQLite builds on it (CROSS JOIN keeps `u` the
 * inner side). ?6 feature, ?7 institution, ?8 the top price, then each
 * tier's name and price: a CASE over bound values, because joining a json_each of the tiers to
 * every user-day row costs twice the grouping itself; the first priced day's price is the
 * day followed by printf of a bound price, which SQLite evaluates once, not once a row.
 */
export function segmentsSql(tiers: number, ordered: boolean): string {
  const when = (then: (price: string) => string) =>
    Array.from({ length: tiers }, (_, i) => `WHEN ?${9 + 2 * i} THEN ${then(`?${10 + 2 * i}`)}`)
  const price = tiers ? `(CASE r.tier ${when((p) => p).join(' ')} END)` : 'NULL'
  const padded = tiers
    ? `(CASE r.tier ${when((p) => `printf('%015.4f', ${p})`).join(' ')} END)`
    : 'NULL'
  const segment = (dim: string, key: string) => `SELECT '${dim}' AS dim, s.key, count(*) AS users,
  sum(days) AS user_days, sum(sessions) AS sessions, sum(revenue) AS revenue,
  sum(eligible) AS eligible, sum(upgraded) AS upgraded
FROM ${key} s CROSS JOIN u ON u.uid = s.uid
GROUP BY s.key`
  return `WITH users AS MATERIALIZED (
  SELECT uid, count(DISTINCT CASE WHEN events > 0 THEN day END) AS days,
    sum(sessions) AS sessions, sum(revenue) AS revenue,
    CAST(substr(min(CASE WHEN events > 0 THEN day || ${padded} END), 11) AS REAL) AS first_price,
    max(CASE WHEN events > 0 THEN ${price} END) AS max_price
  FROM rollup_user_days r ${through('rollup_user_days_activity', ordered)}
  WHERE ${USER_FILTERS.replace(/\b(site_id|day|tier|device|uid)\b/g, 'r.$1')}
  GROUP BY uid
  HAVING sum(events) > 0
),
u AS MATERIALIZED (
  SELECT uid, days, sessions, revenue,
    coalesce(first_price < ?8, 0) AS eligible,
    coalesce(first_price < ?8 AND max_price > first_price, 0) AS upgraded
  FROM users
),
institutions AS (
  SELECT DISTINCT key, uid FROM (
    SELECT institution AS key, uid
    FROM rollup_connection_days ${through('rollup_connection_days_grouped', ordered)}
    WHERE ${USER_FILTERS} AND (?7 IS NULL OR institution = ?7)
    GROUP BY institution, tier, uid
  )
),
features AS (
  SELECT feature AS key, uid
  FROM rollup_feature_days ${through('rollup_feature_days_uid', ordered)}
  WHERE ${USER_FILTERS} AND uses + starts > 0 AND (?6 IS NULL OR feature = ?6)
  GROUP BY feature, uid
)
${segment('institution', 'institutions')}
UNION ALL
${segment('feature', 'features')}
UNION ALL
SELECT 'all', '', count(*), coalesce(sum(days), 0), coalesce(sum(sessions), 0),
  coalesce(sum(revenue), 0), coalesce(sum(eligible), 0), coalesce(sum(upgraded), 0)
FROM u
LIMIT 1000`
}

export type PerfRows = {
  totals: TotalsRow[]
  hist: HistRow[]
  reasons: ReasonRow[]
  series: SeriesRow[]
  seriesHist: SeriesHistRow[]
  connected: ConnectedRow[]
  segments: SegmentRow[]
}

export async function performanceRows(
  db: D1Database,
  q: {
    siteId: string
    days: DayRange
    grain: 'hours' | 'days'
    filters: PerfFilters
    /** Connected users are those with a success after this (ms) and a first before `to`. */
    connectedFrom: number
    to: number
    tiers: SiteConfig['tiers']
  },
): Promise<PerfRows> {
  const f = q.filters
  const args = [
    q.siteId,
    q.days.from_day,
    q.days.to_day,
    f.tier ?? null,
    f.device ?? null,
    f.feature ?? null,
    f.institution ?? null,
  ]
  const series = seriesSql(q.grain)
  const all = <T>(sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .bind(...params)
      .all<T>()
      .then((r) => r.results)
  const ordered = await readOrder(db, q.siteId, q.days)
  const [totals, hist, reasons, seriesRows, seriesHist, connected, segments] = await Promise.all([
    all<TotalsRow>(PERF_TOTALS_SQL, ...args),
    all<HistRow>(histSql(ordered), ...args),
    all<ReasonRow>(PERF_REASONS_SQL, ...args),
    all<SeriesRow>(series.counts, ...args),
    all<SeriesHistRow>(series.latency, ...args),
    // A feature filter leaves connections to every institution: they name no feature.
    all<ConnectedRow>(
      CONNECTED_SQL,
      q.siteId,
      q.connectedFrom,
      q.to,
      f.tier ?? null,
      f.device ?? null,
      f.institution ?? null,
    ),
    all<SegmentRow>(
      segmentsSql(q.tiers.length, ordered),
      ...args,
      Math.max(0, ...q.tiers.map((t) => t.monthly_price)),
      ...q.tiers.flatMap((t) => [t.name, t.monthly_price]),
    ),
  ])
  return { totals, hist, reasons, series: seriesRows, seriesHist, connected, segments }
}
