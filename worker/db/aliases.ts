/**
 * Identify links the anonymous history (issue 14, PostHog's `$identify` semantics): an
 * `identify` event whose `props.anon_id` names the id the browser used before sign-in links
 * that anonymous id to the event's uid, in `user_aliases`. From then on every analysis that
 * groups by user reads the anonymous id's events as the uid's, before and after the link
 * (resolvedUid). Merge forward only: an anonymous id links to one uid, the first; an id that
 * is itself an identified user (it sent an identify of its own, or others link to it) or is
 * linked already is never linked, so two identified users are never merged.
 */
import { KEEP_MARK_TIME } from './rollup-dirty'
import type { EventRow } from '../schemas'
import { chunkRows } from './events'

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

/** The links' columns, unpacked from one JSON parameter of [site_id, anon_id, uid, ts] rows. */
const LINKS = `SELECT json_extract(value, '$[0]') AS site_id, json_extract(value, '$[1]') AS anon_id,
  json_extract(value, '$[2]') AS uid, json_extract(value, '$[3]') AS ts, key FROM json_each(?1)`

/**
 * The linking identify rows: the links (unless the rule above forbids them, the first of two for
 * one anonymous id winning), then every day the anonymous ids have events marked dirty as of
 * now, so rollups already built are rebuilt as one user within a minute (rollups/freshness.ts).
 * Two statements per chunk of links, however many rows: the links travel as one JSON parameter
 * (D1: ≤ 1,000 queries per invocation). SQLite reads the whole SELECT before inserting, so the
 * rule sees the aliases stored before this batch; the batch's own events are stored already, so
 * an identify earlier in the same batch still forbids its uid being linked as anonymous.
 * Idempotent: a resent identify changes nothing but a dirty mark.
 */
export function aliasStatements(db: D1Database, rows: EventRow[]): D1PreparedStatement[] {
  const links = rows.flatMap((row) => {
    const anon = anonIdOf(row)
    return anon ? [[row.site_id, anon, row.uid, row.ts]] : []
  })
  return chunkRows(links).flatMap((json) => [
    db
      .prepare(
        `INSERT OR IGNORE INTO user_aliases (site_id, anon_id, uid, ts)
         SELECT l.site_id, l.anon_id, l.uid, l.ts FROM (${LINKS}) l
         WHERE NOT EXISTS (SELECT 1 FROM user_aliases a
             WHERE a.site_id = l.site_id AND a.uid = l.anon_id)
           AND NOT EXISTS (SELECT 1 FROM user_aliases a
             WHERE a.site_id = l.site_id AND a.anon_id = l.uid)
           AND NOT EXISTS (SELECT 1 FROM events e
             WHERE e.site_id = l.site_id AND e.type = 'identify' AND e.uid = l.anon_id)
         ORDER BY l.key`,
      )
      .bind(json),
    db
      .prepare(
        `INSERT INTO rollup_dirty (site_id, day, marked_at)
         SELECT DISTINCT e.site_id, strftime('%Y-%m-%d', e.ts / 1000, 'unixepoch'), ?2
         FROM (${LINKS}) l
         JOIN user_aliases a ON a.site_id = l.site_id AND a.anon_id = l.anon_id AND a.uid = l.uid
         JOIN events e ON e.site_id = l.site_id AND e.uid = l.anon_id
         WHERE true ${KEEP_MARK_TIME}`,
      )
      .bind(json, Date.now()),
  ])
}
