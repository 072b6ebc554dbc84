/**
 * Insight answers kept for reuse (migrations/0006). An answer is served again while it is
 * younger than `ANSWER_MAX_AGE_MS` and the site's `data_version` has not moved since its
 * computation began: rollup rebuilds, the retention purge and config changes bump it.
 */

/** Also the most an answer can lag raw events that no rollup rebuild has reached yet. */
export const ANSWER_MAX_AGE_MS = 5 * 60_000
/** D1 holds strings of up to 2 MB; a larger answer is computed every time. */
export const MAX_ANSWER_CHARS = 1_000_000
/** Bounds what one site's askers can make D1 hold (cron deletes answers past their age). */
export const MAX_ANSWERS_PER_SITE = 500

/**
 * The site's data version, how many answers it holds, and the stored answer to `key` when
 * there is one that is still good. `null` when the site does not exist.
 */
export async function findAnswer(
  db: D1Database,
  siteId: string,
  key: string,
  computedAfter: number,
): Promise<{ version: number; kept: number; body: string | null } | null> {
  return db
    .prepare(
      `SELECT s.data_version AS version, a.body,
         (SELECT count(*) FROM insight_answers k WHERE k.site_id = s.id) AS kept
       FROM sites s LEFT JOIN insight_answers a
         ON a.site_id = s.id AND a.key = ?2 AND a.version = s.data_version AND a.computed_at > ?3
       WHERE s.id = ?1`,
    )
    .bind(siteId, key, computedAfter)
    .first<{ version: number; kept: number; body: string | null }>()
}

export function saveAnswerStatement(
  db: D1Database,
  a: { siteId: string; key: string; version: number; computedAt: number; body: string },
) {
  return db
    .prepare(
      `INSERT INTO insight_answers (site_id, key, version, computed_at, body)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (site_id, key) DO UPDATE SET
         version = excluded.version, computed_at = excluded.computed_at, body = excluded.body`,
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
