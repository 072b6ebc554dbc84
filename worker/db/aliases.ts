/**
 * Identify links the anonymous history (issue 14, PostHog's `$identify` semantics): an
 * `identify` event whose `props.anon_id` names the id the browser used before sign-in links
 * that anonymous id to the event's uid, in `user_aliases`. From then on every analysis that
 * groups by user reads the anonymous id's events as the uid's, before and after the link
 * (resolvedUid). Merge forward only: an anonymous id links to one uid, the first; an id that
 * is itself an identified user (it sent an identify of its own, or others link to it) or is
 * linked already is never linked, so two identified users are never merged.
 */
import type { EventRow } from '../schemas'

/** The props key of an identify event that names the previous anonymous id. */
export const ANON_ID_PROP = 'anon_id'

/** `table`'s uid as the user it belongs to: the uid its anonymous id was linked to, or itself. */
export const resolvedUid = (table: string) =>
  `coalesce((SELECT a.uid FROM user_aliases a WHERE a.site_id = ${table}.site_id AND a.anon_id = ${table}.uid), ${table}.uid)`

/** The anonymous id an identify row links, if any (props arrive as JSON text). */
export function anonIdOf(row: EventRow): string | undefined {
  if (row.type !== 'identify' || !row.uid || !row.props) return
  try {
    const v = (JSON.parse(row.props) as Record<string, unknown>)[ANON_ID_PROP]
    return typeof v === 'string' && v && v !== row.uid ? v : undefined
  } catch {
    return undefined
  }
}

/**
 * For each linking identify row: the link (unless the rule above forbids it), then every day
 * the anonymous id has events marked dirty, so rollups already built are rebuilt as one user.
 * Idempotent: a resent identify changes nothing.
 */
export function aliasStatements(db: D1Database, rows: EventRow[]): D1PreparedStatement[] {
  return rows.flatMap((row) => {
    const anon = anonIdOf(row)
    if (!anon) return []
    return [
      db
        .prepare(
          `INSERT OR IGNORE INTO user_aliases (site_id, anon_id, uid, ts)
           SELECT ?1, ?2, ?3, ?4
           WHERE NOT EXISTS (SELECT 1 FROM user_aliases WHERE site_id = ?1 AND uid = ?2)
             AND NOT EXISTS (SELECT 1 FROM user_aliases WHERE site_id = ?1 AND anon_id = ?3)
             AND NOT EXISTS (SELECT 1 FROM events
               WHERE site_id = ?1 AND type = 'identify' AND uid = ?2)`,
        )
        .bind(row.site_id, anon, row.uid, row.ts),
      db
        .prepare(
          `INSERT OR IGNORE INTO rollup_dirty (site_id, day)
           SELECT DISTINCT ?1, strftime('%Y-%m-%d', ts / 1000, 'unixepoch') FROM events
           WHERE site_id = ?1 AND uid = ?2
             AND EXISTS (SELECT 1 FROM user_aliases WHERE site_id = ?1 AND anon_id = ?2 AND uid = ?3)`,
        )
        .bind(row.site_id, anon, row.uid),
    ]
  })
}
