/**
 * Insight answers kept for reuse (migrations/0006). An answer is served again while it is
 * younger than `ANSWER_MAX_AGE_MS` and the site's `data_version` has not moved since its
 * computation began: rollup rebuilds, the retention purge and config changes bump it. Raw events
 * no rebuild has reached yet do not: the age bounds how long an answer can miss them.
 */

/** Also the most an answer can lag raw events that no rollup rebuild has reached yet. */
export const ANSWER_MAX_AGE_MS = 5 * 60_000
/** D1 holds values of up to 2 MB; a larger answer is computed every time. */
export const MAX_ANSWER_BYTES = 1_000_000
/** Bounds what one site's askers can make D1 hold (cron deletes answers past their age). */
export const MAX_ANSWERS_PER_SITE = 500

/**
 * The stored answer to `key` computed at `version` after `computedAfter`, if any, and how many
 * answers the site holds (a site with none: nobody has looked lately).
 */
export async function findAnswer(
  db: D1Database,
  q: { siteId: string; key: string; version: number; computedAfter: number },
): Promise<{ body: string | null; kept: number }> {
  const row = await db
    .prepare(
      `SELECT (SELECT body FROM insight_answers
           WHERE site_id = ?1 AND key = ?2 AND version = ?3 AND computed_at > ?4) AS body,
         (SELECT count(*) FROM insight_answers WHERE site_id = ?1) AS kept`,
    )
    .bind(q.siteId, q.key, q.version, q.computedAfter)
    .first<{ body: string | null; kept: number }>()
  return row ?? { body: null, kept: 0 }
}

/** A slower computation from an older version never replaces a newer answer. */
export function saveAnswerStatement(
  db: D1Database,
  a: { siteId: string; key: string; version: number; computedAt: number; body: string },
) {
  return db
    .prepare(
      `INSERT INTO insight_answers (site_id, key, version, computed_at, body)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (site_id, key) DO UPDATE SET
         version = excluded.version, computed_at = excluded.computed_at, body = excluded.body
       WHERE excluded.version >= insight_answers.version`,
    )
    .bind(a.siteId, a.key, a.version, a.computedAt, a.body)
}

/** In the same batch as whatever changes what the site's answers are computed from. */
export function bumpDataVersionStatement(db: D1Database, siteId: string) {
  return db.prepare('UPDATE sites SET data_version = data_version + 1 WHERE id = ?1').bind(siteId)
}

export function expireAnswersStatement(db: D1Database, now: number) {
  return db
    .prepare('DELETE FROM insight_answers WHERE computed_at <= ?1')
    .bind(now - ANSWER_MAX_AGE_MS)
}
