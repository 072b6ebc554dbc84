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
