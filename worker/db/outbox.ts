/**
 * The ingest outbox (migrations/0009): queue messages kept in D1 from before the 202 until
 * their events are stored, so a queue that loses a message loses no event.
 */
import type { IngestMessage } from '../env'

export type OutboxRow = { id: string; body: string; created_at: number; attempts: number }

/** `message` may come serialized already (ingest measures its size that way). */
export function insertOutboxStatement(
  db: D1Database,
  id: string,
  message: IngestMessage | string,
  now: number,
): D1PreparedStatement {
  const body = typeof message === 'string' ? message : JSON.stringify(message)
  return db
    .prepare('INSERT INTO ingest_outbox (id, body, created_at) VALUES (?1, ?2, ?3)')
    .bind(id, body, now)
}

/** One statement for any number of rows: the ids travel as one JSON parameter. */
export function deleteOutboxStatement(db: D1Database, ids: string[]): D1PreparedStatement {
  return db
    .prepare('DELETE FROM ingest_outbox WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
}

/** The oldest rows written before `before`: a seek on ingest_outbox_created. */
export async function dueOutboxRows(
  db: D1Database,
  before: number,
  limit: number,
): Promise<OutboxRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, body, created_at, attempts FROM ingest_outbox
       WHERE created_at < ?1 ORDER BY created_at LIMIT ?2`,
    )
    .bind(before, limit)
    .all<OutboxRow>()
  return results
}

export function failedDrainStatement(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('UPDATE ingest_outbox SET attempts = attempts + 1 WHERE id = ?1').bind(id)
}

/** A row that failed every attempt moves to dead_letters, where a person can look at it. */
export function deadLetterStatements(
  db: D1Database,
  row: OutboxRow,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare('INSERT INTO dead_letters (queue, body, received_at) VALUES (?1, ?2, ?3)')
      .bind('ingest_outbox', row.body, now),
    deleteOutboxStatement(db, [row.id]),
  ]
}
