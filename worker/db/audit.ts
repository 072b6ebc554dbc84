/** The audit log of admin actions and user-level reads (DESIGN §8). */
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
