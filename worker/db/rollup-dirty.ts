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

/**
 * Marks `days` dirty as of now in one statement, the pairs as one JSON parameter: a write's
 * marks cost one of D1's 1,000 queries however many days its events span. None for no days.
 */
export function markDaysDirtyStatement(
  db: D1Database,
  days: { site_id: string; day: string }[],
): D1PreparedStatement[] {
  if (!days.length) return []
  const pairs = JSON.stringify(days.map((d) => [d.site_id, d.day]))
  return [
    db
      .prepare(
        `INSERT INTO rollup_dirty (site_id, day, marked_at)
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2 FROM json_each(?1)
         WHERE true ${KEEP_MARK_TIME}`,
      )
      .bind(pairs, Date.now()),
  ]
}
