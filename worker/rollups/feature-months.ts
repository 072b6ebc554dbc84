/**
 * `rollup_feature_months` (migrations/0021): the first day of each month each user used each
 * feature (uses + starts > 0 in rollup_feature_days), so revenue's first use per feature and user
 * in a period (db/insights/revenue.ts) reads a row per month, not per day. Kept incrementally
 * after the day's rollup_feature_days rows are rebuilt, in the same batch: a month's first day
 * is the least of its days, so a day only ever sets it earlier, except where the day was the
 * first and no longer holds the pair (an alias link moved it to the uid, an erasure): those
 * rows go and come back from the month's later days. A rebuild twice gives the same rows, and a
 * busy day rebuilt again writes none.
 */
import type { Rollup } from './index'

/** Month rows whose first day is ?3 but whose pair ?3 no longer holds. */
const STALE_FIRSTS = `DELETE FROM rollup_feature_months
WHERE site_id = ?1 AND month = ?2 AND first_day = ?3 AND NOT EXISTS (
  SELECT 1 FROM rollup_feature_days d
  WHERE d.site_id = ?1 AND d.day = ?3 AND d.feature = rollup_feature_months.feature
    AND d.uid = rollup_feature_months.uid AND d.uses + d.starts > 0)`

/**
 * Pairs of month ?2 used on days ?3–?4 that have no month row: those STALE_FIRSTS (or a purge)
 * took away, back with the first of their remaining days.
 */
export const MISSING_MONTHS = `INSERT INTO rollup_feature_months (site_id, month, feature, uid, first_day)
SELECT ?1, ?2, feature, uid, min(day) FROM rollup_feature_days
WHERE site_id = ?1 AND day >= ?3 AND day <= ?4 AND uses + starts > 0 AND uid <> ''
  AND (feature, uid) NOT IN (
    SELECT feature, uid FROM rollup_feature_months WHERE site_id = ?1 AND month = ?2)
GROUP BY feature, uid`

/** The day's pairs: a new row, or an earlier first day; nothing written when it holds already. */
const DAY_FIRSTS = `INSERT INTO rollup_feature_months (site_id, month, feature, uid, first_day)
SELECT DISTINCT ?1, ?2, feature, uid, ?3 FROM rollup_feature_days
WHERE site_id = ?1 AND day = ?3 AND uses + starts > 0 AND uid <> ''
ON CONFLICT (site_id, month, feature, uid) DO UPDATE SET first_day = excluded.first_day
WHERE excluded.first_day < rollup_feature_months.first_day`

/** The last day of `day`'s month (YYYY-MM-DD). */
export function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

export const featureMonths: Rollup = {
  name: 'feature_months',
  rebuild: (db, siteId, _dayStart, day) => {
    const month = day.slice(0, 7)
    return [
      db.prepare(STALE_FIRSTS).bind(siteId, month, day),
      db.prepare(MISSING_MONTHS).bind(siteId, month, day, monthEnd(day)),
      db.prepare(DAY_FIRSTS).bind(siteId, month, day),
    ]
  },
}

/**
 * For the retention purge of days before `day`: months before its month go, and its month's
 * rows that began before it start again from its first remaining day.
 */
export function purgeFeatureMonths(db: D1Database, siteId: string, day: string) {
  const month = day.slice(0, 7)
  return [
    db
      .prepare('DELETE FROM rollup_feature_months WHERE site_id = ?1 AND month < ?2')
      .bind(siteId, month),
    db
      .prepare(
        'DELETE FROM rollup_feature_months WHERE site_id = ?1 AND month = ?2 AND first_day < ?3',
      )
      .bind(siteId, month, day),
    db.prepare(MISSING_MONTHS).bind(siteId, month, day, monthEnd(day)),
  ]
}
