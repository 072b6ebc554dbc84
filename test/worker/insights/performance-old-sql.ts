/**
 * /performance's statements as they were before migrations/0020 (commit 65572a5): histograms by
 * json_each over `hist`, and users joined to their segments by a window over uid. The reference
 * formulas the plain-row and index-ordered statements are held to (performance-rows.test.ts).
 */
/** ?1 site, ?2–?3 days, ?4 tier, ?5 device, ?6 feature, ?7 institution. */
const WHERE = `site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  AND (?6 IS NULL OR feature = ?6) AND (?7 IS NULL OR institution = ?7)`
/** A latency sample: a connection's value, or a backend's `connection_latency` metric. */
const IS_LATENCY = `(kind = 'connection' OR (kind = 'metric' AND operation = 'connection_latency'))`

/** `WHERE` for `table` joined with json_each, whose `key` and `value` would shadow its columns. */
const whereOf = (table: string) =>
  WHERE.replace(/\b(site_id|day|tier|device|feature|institution)\b/g, `${table}.$1`)

/** The period's buckets per key. */
export const OLD_HIST_SQL = `SELECT rollup_perf_days.kind, rollup_perf_days.institution,
  rollup_perf_days.feature, rollup_perf_days.operation,
  CAST(j.key AS INTEGER) AS bucket, sum(json_extract(j.value, '$[0]')) AS n,
  sum(json_extract(j.value, '$[1]')) AS s
FROM rollup_perf_days, json_each(rollup_perf_days.hist) j
WHERE ${whereOf('rollup_perf_days')} AND rollup_perf_days.hist IS NOT NULL
  AND rollup_perf_days.kind <> 'feature'
GROUP BY 1, 2, 3, 4, 5 LIMIT 50000`

/** The daily latency buckets by json_each over rollup_perf_days.hist. */
export const OLD_DAY_LATENCY_SQL = `SELECT rollup_perf_days.day, NULL AS hour,
  CAST(j.key AS INTEGER) AS bucket, sum(json_extract(j.value, '$[0]')) AS n,
  sum(json_extract(j.value, '$[1]')) AS s
FROM rollup_perf_days, json_each(rollup_perf_days.hist) j
WHERE ${whereOf('rollup_perf_days')} AND rollup_perf_days.hist IS NOT NULL
  AND ${IS_LATENCY.replace(/\b(kind|operation)\b/g, 'rollup_perf_days.$1')}
GROUP BY 1, 2, 3 LIMIT 100000`

const USER_FILTERS = `site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)`

/** The per-institution and per-feature users. */
export function oldSegmentsSql(tiers: number): string {
  const cases = Array.from({ length: tiers }, (_, i) => `WHEN ?${9 + 2 * i} THEN ?${10 + 2 * i}`)
  const price = tiers ? `(CASE r.tier ${cases.join(' ')} END)` : 'NULL'
  return `WITH users AS MATERIALIZED (
  SELECT uid, count(DISTINCT CASE WHEN events > 0 THEN day END) AS days,
    sum(sessions) AS sessions, sum(revenue) AS revenue,
    CAST(substr(min(CASE WHEN events > 0 AND ${price} IS NOT NULL
      THEN day || printf('%015.4f', ${price}) END), 11) AS REAL) AS first_price,
    max(CASE WHEN events > 0 THEN ${price} END) AS max_price
  FROM rollup_user_days r
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
seg AS (
  SELECT DISTINCT 'institution' AS dim, institution AS key, uid FROM rollup_connection_days
  WHERE ${USER_FILTERS} AND (?7 IS NULL OR institution = ?7)
  UNION ALL
  SELECT DISTINCT 'feature', feature, uid FROM rollup_feature_days
  WHERE ${USER_FILTERS} AND uses + starts > 0 AND (?6 IS NULL OR feature = ?6)
),
rows AS (
  SELECT '' AS dim, '' AS key, uid, days, sessions, revenue, eligible, upgraded FROM u
  UNION ALL
  SELECT dim, key, uid, NULL, NULL, NULL, NULL, NULL FROM seg
),
attached AS (
  SELECT dim, key, max(days) OVER w AS days, max(sessions) OVER w AS sessions,
    max(revenue) OVER w AS revenue, max(eligible) OVER w AS eligible,
    max(upgraded) OVER w AS upgraded
  FROM rows WINDOW w AS (PARTITION BY uid)
)
SELECT dim, key, count(*) AS users, sum(days) AS user_days, sum(sessions) AS sessions,
  sum(revenue) AS revenue, sum(eligible) AS eligible, sum(upgraded) AS upgraded
FROM attached WHERE dim <> '' AND days IS NOT NULL
GROUP BY dim, key
UNION ALL
SELECT 'all', '', count(*), coalesce(sum(days), 0), coalesce(sum(sessions), 0),
  coalesce(sum(revenue), 0), coalesce(sum(eligible), 0), coalesce(sum(upgraded), 0)
FROM u
LIMIT 1000`
}
