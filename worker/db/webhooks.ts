/**
 * Webhook endpoints, messages and attempts (migrations/0008, DESIGN §9). A message is written in
 * the batch that decides it; every attempt is written before its request is sent.
 */

export type Endpoint = {
  secret: string
  previous_secret: string | null
  previous_until: number | null
  disabled_at: number | null
  disabled_reason: string | null
}

export type MessageRow = {
  id: string
  site_id: string
  type: string
  rule_id: string | null
  series: string | null
  body: string
  created_at: number
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: number | null
}

export type AttemptRow = {
  message_id: string
  attempt: number
  url: string
  started_at: number
  status_code: number | null
  error: string | null
  duration_ms: number | null
}

/** A rotated secret keeps signing for a day, so receivers can switch without losing messages. */
export const PREVIOUS_SECRET_MS = 86_400_000

export function endpoint(db: D1Database, siteId: string): Promise<Endpoint | null> {
  return db.prepare('SELECT * FROM site_webhooks WHERE site_id = ?1').bind(siteId).first<Endpoint>()
}

/** A new secret; the current one, if any, becomes the previous one for a day. */
export function rotateSecretStatement(db: D1Database, siteId: string, secret: string, now: number) {
  return db
    .prepare(
      `INSERT INTO site_webhooks (site_id, secret, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (site_id) DO UPDATE SET previous_secret = site_webhooks.secret,
         previous_until = ?3 + ?4, secret = excluded.secret, updated_at = ?3`,
    )
    .bind(siteId, secret, now, PREVIOUS_SECRET_MS)
}

export function enableStatement(db: D1Database, siteId: string, now: number) {
  return db
    .prepare(
      `UPDATE site_webhooks SET disabled_at = NULL, disabled_reason = NULL, updated_at = ?2
       WHERE site_id = ?1`,
    )
    .bind(siteId, now)
}

export function disableStatement(db: D1Database, siteId: string, reason: string, now: number) {
  return db
    .prepare(
      `UPDATE site_webhooks SET disabled_at = ?2, disabled_reason = ?3, updated_at = ?2
       WHERE site_id = ?1`,
    )
    .bind(siteId, now, reason)
}

/** Made only if the statement before it in the batch changed a row (db/alerts.ts). */
export function messageStatement(db: D1Database, m: MessageRow, onlyAfterChange: boolean) {
  return db
    .prepare(
      `INSERT INTO webhook_messages (id, site_id, type, rule_id, series, body, created_at, status,
         attempts, next_attempt_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE ?11 = 0 OR changes() = 1`,
    )
    .bind(
      m.id,
      m.site_id,
      m.type,
      m.rule_id,
      m.series,
      m.body,
      m.created_at,
      m.status,
      m.attempts,
      m.next_attempt_at,
      onlyAfterChange ? 1 : 0,
    )
}

export async function dueMessages(db: D1Database, now: number, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT * FROM webhook_messages WHERE status = 'pending' AND next_attempt_at <= ?1
       ORDER BY next_attempt_at LIMIT ?2`,
    )
    .bind(now, limit)
    .all<MessageRow>()
  return results
}

export function findMessage(db: D1Database, siteId: string, id: string) {
  return db
    .prepare('SELECT * FROM webhook_messages WHERE site_id = ?1 AND id = ?2')
    .bind(siteId, id)
    .first<MessageRow>()
}

/**
 * Claims attempt `attempts + 1` of a message: counts it, moves its next attempt to `next` (the
 * retry time if this one never reports back) and records the attempt — only if nobody else
 * claimed the same attempt meanwhile. Returns the statements; the claim held if the second
 * changed a row.
 */
export function claimStatements(
  db: D1Database,
  m: MessageRow,
  url: string,
  now: number,
  next: number | null,
) {
  return [
    db
      .prepare(
        `UPDATE webhook_messages SET attempts = attempts + 1, status = 'pending', next_attempt_at = ?3
         WHERE id = ?1 AND attempts = ?2`,
      )
      .bind(m.id, m.attempts, next),
    db
      .prepare(
        `INSERT INTO webhook_attempts (message_id, attempt, site_id, url, started_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE changes() = 1`,
      )
      .bind(m.id, m.attempts + 1, m.site_id, url, now),
  ]
}

export function finishStatements(
  db: D1Database,
  m: { id: string; attempt: number },
  outcome: { status_code: number | null; error: string | null; duration_ms: number },
  message: { status: MessageRow['status']; next_attempt_at: number | null },
) {
  return [
    db
      .prepare(
        `UPDATE webhook_attempts SET status_code = ?3, error = ?4, duration_ms = ?5
         WHERE message_id = ?1 AND attempt = ?2`,
      )
      .bind(m.id, m.attempt, outcome.status_code, outcome.error, outcome.duration_ms),
    db
      .prepare(
        `UPDATE webhook_messages SET status = ?2, next_attempt_at = ?3
         WHERE id = ?1 AND attempts = ?4`,
      )
      .bind(m.id, message.status, message.next_attempt_at, m.attempt),
  ]
}

/** Newest first; `before` is the last page's last (created_at, id). */
export async function listMessages(
  db: D1Database,
  siteId: string,
  limit: number,
  before: { created_at: number; id: string } | null,
) {
  const { results } = await db
    .prepare(
      `SELECT * FROM webhook_messages WHERE site_id = ?1
         AND (?2 IS NULL OR created_at < ?2 OR (created_at = ?2 AND id < ?3))
       ORDER BY created_at DESC, id DESC LIMIT ?4`,
    )
    .bind(siteId, before?.created_at ?? null, before?.id ?? '', limit)
    .all<MessageRow>()
  return results
}

export async function attemptsOf(db: D1Database, ids: string[]): Promise<AttemptRow[]> {
  if (!ids.length) return []
  const { results } = await db
    .prepare(
      `SELECT message_id, attempt, url, started_at, status_code, error, duration_ms
       FROM webhook_attempts WHERE message_id IN (SELECT value FROM json_each(?1))
       ORDER BY message_id, attempt`,
    )
    .bind(JSON.stringify(ids))
    .all<AttemptRow>()
  return results
}

/** Delivery records go after 30 days, as dead letters do. */
export function expireDeliveriesStatements(db: D1Database, before: number) {
  return [
    db
      .prepare(
        `DELETE FROM webhook_attempts WHERE message_id IN (SELECT id FROM webhook_messages
           WHERE created_at < ?1 AND status <> 'pending')`,
      )
      .bind(before),
    db
      .prepare(`DELETE FROM webhook_messages WHERE created_at < ?1 AND status <> 'pending'`)
      .bind(before),
  ]
}
