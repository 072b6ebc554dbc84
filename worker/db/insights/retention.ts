/**
 * Retention reads rollups only (migrations/0003, 0004): new users of the range from
 * user_first_seen (site_id, first_day), their later active days from rollup_user_days
 * (site_id, uid, day) where events > 0. A user has a row per tier and device a day; the mask's
 * sum(DISTINCT …) counts a day once. SQLite folds each user's active periods into a bit mask
 * and counts users per (cohort, mask), so the answer is a few hundred rows however many users
 * there are.
 */
import { offsetsOf, type ActivityPattern } from '../../analysis/retention'

/**
 * ?2/?3: first and end day (YYYY-MM-DD, end exclusive); ?4: days per period.
 * ?5/?6: tier/device on the user's first day. ?7: a feature the user used in their first period.
 */
export const RETENTION_PATTERNS = `WITH cohort_users AS (
  SELECT uid, first_day,
    CAST(julianday(first_day) - julianday(?2) AS INTEGER) / CAST(?4 AS INTEGER) AS cohort
  FROM user_first_seen
  WHERE site_id = ?1 AND first_day >= ?2 AND first_day < ?3
    AND (?5 IS NULL OR tier = ?5) AND (?6 IS NULL OR device = ?6)
),
members AS (
  SELECT m.uid, m.first_day, m.cohort FROM cohort_users m
  WHERE ?7 IS NULL OR EXISTS (
    SELECT 1 FROM rollup_feature_days u
    WHERE u.site_id = ?1 AND u.feature = ?7 AND u.uid = m.uid AND u.uses + u.starts > 0
      AND u.day >= m.first_day
      AND u.day < date(?2, '+' || ((m.cohort + 1) * CAST(?4 AS INTEGER)) || ' days'))
),
patterns AS (
  SELECT m.cohort, sum(DISTINCT 1 << (
    CAST(julianday(a.day) - julianday(?2) AS INTEGER) / CAST(?4 AS INTEGER) - m.cohort)) AS mask
  FROM members m
  JOIN rollup_user_days a ON a.site_id = ?1 AND a.uid = m.uid AND a.events > 0
    AND a.day >= m.first_day AND a.day < ?3
  GROUP BY m.uid
)
SELECT cohort, mask, count(*) AS users FROM patterns GROUP BY cohort, mask`

export type RetentionQuery = {
  siteId: string
  fromDay: string
  toDay: string
  intervalDays: number
  tier?: string
  device?: string
  feature?: string
}

export async function activityPatterns(
  db: D1Database,
  q: RetentionQuery,
): Promise<ActivityPattern[]> {
  const { results } = await db
    .prepare(RETENTION_PATTERNS)
    .bind(
      q.siteId,
      q.fromDay,
      q.toDay,
      q.intervalDays,
      q.tier ?? null,
      q.device ?? null,
      q.feature ?? null,
    )
    .all<{ cohort: number; mask: number; users: number }>()
  return results.map((r) => ({ cohort: r.cohort, offsets: offsetsOf(r.mask), users: r.users }))
}
