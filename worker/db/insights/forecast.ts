/**
 * What `GET .../forecast` (DESIGN §7.10) reads, all from rollups: the subscription rows of
 * `rollup_revenue_days` over the history (the same statements as /revenue, so MRR per day is
 * computed one way), the first day the site had any, and per day and institution the
 * connection outcomes, the failure reasons and the latency buckets of `rollup_perf_days`.
 */
import type {
  LatencyDayRow,
  OutcomeDayRow,
  ReasonDayRow,
} from '../../analysis/predict/threshold-trends'
import type { CarriedState, RevenueDayRow } from '../../analysis/revenue/types'
import { CARRIED_SQL, REVENUE_ROWS_SQL } from './revenue'

/** The first day with a revenue row from ?2 on (index: the primary key, site then day). */
export const FIRST_REVENUE_DAY_SQL = `SELECT min(day) AS day FROM rollup_revenue_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3`

/** ?1 site, ?2–?3 days, ?4 institution (NULL: all). */
const WHERE = `site_id = ?1 AND day >= ?2 AND day <= ?3 AND institution <> ''
  AND (?4 IS NULL OR institution = ?4)`

export const OUTCOME_DAYS_SQL = `SELECT day, institution, kind, sum(attempts) AS attempts,
  sum(completed) AS completed, sum(failed) AS failed, sum(abandoned) AS abandoned
FROM rollup_perf_days WHERE ${WHERE} AND kind IN ('connection', 'feature')
GROUP BY day, institution, kind LIMIT 50000`

export const REASON_DAYS_SQL = `SELECT day, institution, status, reason, sum(events) AS events
FROM rollup_perf_reasons WHERE ${WHERE} AND kind = 'connection'
GROUP BY day, institution, status, reason LIMIT 50000`

const t = 'rollup_perf_days'
/** A connection's latency, or a backend's `connection_latency` metric (as /performance). */
export const LATENCY_DAYS_SQL = `SELECT ${t}.day, ${t}.institution, CAST(j.key AS INTEGER) AS bucket,
  sum(json_extract(j.value, '$[0]')) AS n, sum(json_extract(j.value, '$[1]')) AS s
FROM ${t}, json_each(${t}.hist) j
WHERE ${WHERE.replace(/\b(site_id|day|institution)\b/g, `${t}.$1`)} AND ${t}.hist IS NOT NULL
  AND (${t}.kind = 'connection' OR (${t}.kind = 'metric' AND ${t}.operation = 'connection_latency'))
GROUP BY 1, 2, 3 LIMIT 100000`

export type RevenueHistory = { from: string | null; carried: CarriedState[]; rows: RevenueDayRow[] }

/**
 * The revenue rows from the first day with one on or after `earliest` to `to`, and each user's
 * state before that day. `from` null: no revenue rows in the span.
 */
export async function revenueHistory(
  db: D1Database,
  siteId: string,
  earliest: string,
  to: string,
): Promise<RevenueHistory> {
  const first = await db
    .prepare(FIRST_REVENUE_DAY_SQL)
    .bind(siteId, earliest, to)
    .first<{ day: string | null }>()
  const from = first?.day ?? null
  if (!from) return { from: null, carried: [], rows: [] }
  const [carried, rows] = await db.batch<Record<string, unknown>>([
    db.prepare(CARRIED_SQL).bind(siteId, from),
    db.prepare(REVENUE_ROWS_SQL).bind(siteId, from, to),
  ])
  return {
    from,
    carried: (
      carried.results as { uid: string; state: string; first_paid_day: string | null }[]
    ).map((r) => {
      const [mrr_cents, tier] = JSON.parse(r.state) as [number, string]
      return { uid: r.uid, tier, mrr_cents, first_paid_day: r.first_paid_day }
    }),
    rows: rows.results as RevenueDayRow[],
  }
}

export type PerfDays = {
  outcomes: OutcomeDayRow[]
  reasons: ReasonDayRow[]
  latency: LatencyDayRow[]
}

export async function institutionDays(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
  institution: string | null,
): Promise<PerfDays> {
  const bind = (sql: string) => db.prepare(sql).bind(siteId, days.from, days.to, institution)
  const [outcomes, reasons, latency] = await db.batch<Record<string, unknown>>([
    bind(OUTCOME_DAYS_SQL),
    bind(REASON_DAYS_SQL),
    bind(LATENCY_DAYS_SQL),
  ])
  return {
    outcomes: outcomes.results as OutcomeDayRow[],
    reasons: reasons.results as ReasonDayRow[],
    latency: latency.results as LatencyDayRow[],
  }
}
