/**
 * One user's data (DESIGN §10): where it is held, for `GET …/users/:uid/export`, and how it all
 * goes, for `DELETE …/users/:uid`.
 */
import { bumpDataVersionStatement } from './answers'
import { auditStatement } from './audit'
import { eraseUserFromRollups, USER_ROLLUP_TABLES } from '../rollups/insights'
import { EXPORT_EVENT_COLUMNS, EVENT_KEY } from './event-export'
import type { Section } from './keyset'

/** Each table's rows of one user, ordered by its primary key (events: by time). */
export function userSections(siteId: string, uid: string): Section[] {
  const mine = [{ sql: 'site_id = ? AND uid = ?', values: [siteId, uid] }]
  const table = (name: string, key: string[]): Section => ({
    name,
    table: name,
    columns: '*',
    where: mine,
    key,
  })
  return [
    { ...table('events', ['ts', ...EVENT_KEY]), columns: EXPORT_EVENT_COLUMNS.join(', ') },
    table('rollup_user_days', ['day', 'tier', 'device']),
    table('rollup_feature_days', ['day', 'tier', 'device', 'feature']),
    table('rollup_connection_days', ['day', 'institution', 'tier', 'device']),
    table('workflow_runs', ['day', 'workflow', 'run']),
    table('rollup_revenue_days', ['day']),
    table('user_first_seen', ['uid']),
    table('connection_users', ['institution']),
    table('user_aliases', ['anon_id']),
    table('churn_scores', ['uid']),
  ]
}

/**
 * Queue messages held in D1 (the ingest outbox, dead letters) keep their other rows: only the
 * user's go. CASE, not AND, guards each step, so a malformed dead letter is skipped, not fatal.
 */
function scrubMessages(db: D1Database, table: string, siteId: string, uid: string) {
  const uidOf = `CASE WHEN r.type = 'object' THEN json_extract(r.value, '$.uid') END`
  return db
    .prepare(
      `UPDATE ${table} SET body = json_set(body, '$.rows', (
         SELECT json_group_array(r.value) FROM json_each(${table}.body, '$.rows') AS r
         WHERE ${uidOf} IS NOT ?2))
       WHERE CASE
         WHEN NOT json_valid(body) THEN 0
         WHEN json_type(body, '$.rows') IS NOT 'array' THEN 0
         WHEN json_extract(body, '$.site_id') IS NOT ?1 THEN 0
         ELSE EXISTS (SELECT 1 FROM json_each(${table}.body, '$.rows') AS r WHERE ${uidOf} = ?2)
       END`,
    )
    .bind(siteId, uid)
}

/**
 * Erasing one user, as one D1 batch (a transaction: all of it or nothing). Rollups that count
 * users without naming them (performance, failure reasons) are rebuilt without them from the
 * raw events that remain: every day the user had events is marked dirty for cron, before they
 * go. Every stored answer of the site may have counted them, so all go, and the data version
 * moves.
 */
export function eraseUserStatements(
  db: D1Database,
  siteId: string,
  uid: string,
  audit: { keyId: string; uidSha256: string },
) {
  // The anonymous ids identify linked to the user (db/aliases.ts) are the same person: their
  // events and rollup rows go too, then the links.
  const anonIds = 'SELECT anon_id FROM user_aliases WHERE site_id = ?1 AND uid = ?2'
  const removed: [string, D1PreparedStatement][] = [
    [
      'anonymous_events',
      db.prepare(`DELETE FROM events WHERE site_id = ?1 AND uid IN (${anonIds})`).bind(siteId, uid),
    ],
    ...USER_ROLLUP_TABLES.map(
      (t) =>
        [
          `anonymous_${t}`,
          db
            .prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND uid IN (${anonIds})`)
            .bind(siteId, uid),
        ] as [string, D1PreparedStatement],
    ),
    [
      'user_aliases',
      db
        .prepare('DELETE FROM user_aliases WHERE site_id = ?1 AND (uid = ?2 OR anon_id = ?2)')
        .bind(siteId, uid),
    ],
    ['events', db.prepare('DELETE FROM events WHERE site_id = ?1 AND uid = ?2').bind(siteId, uid)],
    ...eraseUserFromRollups(db, siteId, uid).map(
      (s, i) => [USER_ROLLUP_TABLES[i], s] as [string, D1PreparedStatement],
    ),
    ['ingest_outbox', scrubMessages(db, 'ingest_outbox', siteId, uid)],
    ['dead_letters', scrubMessages(db, 'dead_letters', siteId, uid)],
    ['insight_answers', db.prepare('DELETE FROM insight_answers WHERE site_id = ?1').bind(siteId)],
  ]
  const markDays = db
    .prepare(
      `INSERT OR IGNORE INTO rollup_dirty (site_id, day)
       SELECT ?1, strftime('%Y-%m-%d', ts / 1000, 'unixepoch') FROM events
       WHERE site_id = ?1 AND (uid = ?2 OR uid IN (${anonIds}))
       UNION SELECT ?1, day FROM rollup_user_days WHERE site_id = ?1 AND uid = ?2`,
    )
    .bind(siteId, uid)
  return {
    statements: [
      markDays,
      ...removed.map(([, s]) => s),
      bumpDataVersionStatement(db, siteId),
      auditStatement(db, siteId, audit.keyId, 'user.erase', { uid_sha256: audit.uidSha256 }),
    ],
    /** What the batch's results say was removed, by table. */
    counts: (results: D1Result[]) =>
      Object.fromEntries(removed.map(([table], i) => [table, results[i + 1].meta.changes])),
  }
}
