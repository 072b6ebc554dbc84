/**
 * Dirty marks (rollup_dirty): the (site, day) pairs whose rollups must be rebuilt. Here, not in
 * rollups/, so db/aliases.ts can mark days without importing the rollups, which import it.
 */

/**
 * The tail of an insert of dirty marks with a time: a mark already there keeps its time, as the
 * write that marked it first schedules its rebuild (rollups/freshness.ts); a mark without a time
 * (an import's, an erasure's) gets this write's, so that this write schedules it.
 */
export const KEEP_MARK_TIME =
  'ON CONFLICT (site_id, day) DO UPDATE SET marked_at = excluded.marked_at WHERE marked_at IS NULL'

/** Marks the day dirty as of now (KEEP_MARK_TIME). */
export function markDirtyStatement(db: D1Database, siteId: string, day: string) {
  return db
    .prepare(
      `INSERT INTO rollup_dirty (site_id, day, marked_at) VALUES (?1, ?2, ?3) ${KEEP_MARK_TIME}`,
    )
    .bind(siteId, day, Date.now())
}
