/**
 * Which site's churn model cron trains next (docs/models.md, "Retrain rule"). A site is due
 * when it has users and no rollup backlog (no dirty day before today: a model trained halfway
 * through an import would be judged on half the data), and
 * - it has no model yet, or
 * - its model is 7 days old or more (1 day for an insufficient_data one: young sites grow), or
 * - the site's users (user_first_seen rows) grew by 20% or more since it was trained.
 * The longest-waiting due site goes first; one site a run, so a training never shares an
 * invocation's query budget with another.
 */
import { utcDay } from '../ingest/store'
import type { Budget } from '../rollups'
import { trainChurnModel, type TrainResult } from './train'

const DAY_MS = 86_400_000
export const RETRAIN_AFTER_MS = 7 * DAY_MS
export const RETRY_INSUFFICIENT_MS = DAY_MS
export const GROWTH = 1.2
/** What a training needs at most before its score chunks (train.ts): reads and the batch's two. */
export const TRAIN_MIN_QUERIES = 25

const DUE_SQL = `SELECT s.id, m.trained_at
FROM sites s
LEFT JOIN churn_models m ON m.site_id = s.id
WHERE EXISTS (SELECT 1 FROM user_first_seen u WHERE u.site_id = s.id)
  AND NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.site_id = s.id AND d.day < ?2)
  AND (m.site_id IS NULL
    OR m.trained_at <= ?1 - CASE m.status WHEN 'ok' THEN ?3 ELSE ?4 END
    OR (SELECT count(*) FROM user_first_seen u WHERE u.site_id = s.id) >= ?5 * m.users_seen)
ORDER BY m.trained_at IS NOT NULL, m.trained_at
LIMIT 1`

export async function dueSite(db: D1Database, now: number, budget: Budget) {
  budget.left--
  const row = await db
    .prepare(DUE_SQL)
    .bind(now, utcDay(now), RETRAIN_AFTER_MS, RETRY_INSUFFICIENT_MS, GROWTH)
    .first<{ id: string }>()
  return row?.id ?? null
}

/** The cron job: train the one due site, if the budget allows. */
export async function trainDueModel(
  db: D1Database,
  now: number,
  budget: Budget,
): Promise<(TrainResult & { site_id: string }) | null> {
  if (budget.left < TRAIN_MIN_QUERIES + 1) return null
  const siteId = await dueSite(db, now, budget)
  if (!siteId) return null
  return { site_id: siteId, ...(await trainChurnModel(db, siteId, now, budget)) }
}
