/** The audit log of admin actions and user-level reads (DESIGN §8). */

/** An audit row written only if `id` was revoked at `at`: one batch with the revocation. */
export function auditRevokeStatement(
  db: D1Database,
  siteId: string,
  keyId: string,
  id: string,
  at: number,
) {
  return db
    .prepare(
      `INSERT INTO audit_log (site_id, key_id, action, details, at)
       SELECT ?1, ?2, 'key.revoke', ?4, ?5
       WHERE EXISTS (SELECT 1 FROM api_keys WHERE site_id = ?1 AND id = ?3 AND revoked_at = ?5)`,
    )
    .bind(siteId, keyId, id, JSON.stringify({ id }), at)
}
export function auditStatement(
  db: D1Database,
  siteId: string,
  keyId: string | null,
  action: string,
  details?: unknown,
): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO audit_log (site_id, key_id, action, details, at) VALUES (?1, ?2, ?3, ?4, ?5)',
    )
    .bind(siteId, keyId, action, details === undefined ? null : JSON.stringify(details), Date.now())
}

export type AuditRow = {
  id: number
  at: number
  key_id: string | null
  action: string
  details: string | null
}

export type AuditQuery = {
  siteId: string
  limit: number
  /** `at` and `id` of the last row of the page before: newest first, so older than it. */
  before: { at: number; id: number } | null
  action?: string
  keyId?: string
  /** ms epoch, from ≤ at < to */
  from?: number
  to?: number
}

/**
 * One page, newest first, by (at, id) on audit_log_site_at, or on audit_log_site_action_at when
 * an action is named (migrations/0011): each filter is a condition only when it is given.
 */
export async function listAudit(db: D1Database, q: AuditQuery): Promise<AuditRow[]> {
  const where = ['site_id = ?']
  const params: (string | number)[] = [q.siteId]
  const add = (sql: string, ...values: (string | number)[]) => {
    where.push(sql)
    params.push(...values)
  }
  if (q.action !== undefined) add('action = ?', q.action)
  if (q.keyId !== undefined) add('key_id = ?', q.keyId)
  if (q.from !== undefined) add('at >= ?', q.from)
  if (q.to !== undefined) add('at < ?', q.to)
  if (q.before) add('(at, id) < (?, ?)', q.before.at, q.before.id)
  const { results } = await db
    .prepare(
      `SELECT id, at, key_id, action, details FROM audit_log WHERE ${where.join(' AND ')}
       ORDER BY at DESC, id DESC LIMIT ?`,
    )
    .bind(...params, q.limit)
    .all<AuditRow>()
  return results
}

/** Audit rows past their retention go in slices of `limit`, oldest first; the rest next run. */
export function purgeAuditLog(db: D1Database, siteId: string, cutoff: number, limit = 1000) {
  return db
    .prepare(
      `DELETE FROM audit_log WHERE id IN (
         SELECT id FROM audit_log WHERE site_id = ?1 AND at < ?2 ORDER BY at LIMIT ?3)`,
    )
    .bind(siteId, cutoff, limit)
}
