/**
 * Storing one historical import (routes/import.ts) as ONE D1 batch, which D1 runs as a
 * transaction: the events, the days they fall on marked for a rollup rebuild, the collector's
 * counts and the audit row go in together or not at all. Events go in the backend's id space
 * (source `server`, migrations/0009), so an event the bank's backend already sent with its
 * ingest key is a duplicate here, and re-sending an import stores nothing twice.
 */
import { auditStatement } from '../db/audit'
import { addCountsStatement } from '../db/counters'
import { insertEventStatements } from '../db/events'
import type { Counts } from '../env'
import { daysOf } from '../rollups'
import type { EventRow } from '../schemas'
import { utcDay } from './store'

/**
 * Every day of `rows` in one statement: the days travel as one JSON parameter, so 400 days
 * cost one query and three bound parameters, not 400 statements (D1: ≤ 1,000 per invocation).
 */
export function markDaysDirtyStatement(db: D1Database, siteId: string, days: string[]) {
  return db
    .prepare(
      'INSERT OR IGNORE INTO rollup_dirty (site_id, day) SELECT ?1, value FROM json_each(?2)',
    )
    .bind(siteId, JSON.stringify(days))
}

export type ImportBatch = {
  siteId: string
  keyId: string
  now: number
  rows: EventRow[]
  counts: Partial<Counts>
  rejected: number
}

/** Stores `batch`; returns how many events were new and the days marked for rebuild. */
export async function storeImport(db: D1Database, batch: ImportBatch) {
  const days = daysOf(batch.rows)
    .map((d) => d.day)
    .sort()
  const inserts = insertEventStatements(db, batch.rows, 'server')
  const results = await db.batch([
    ...inserts,
    ...(days.length ? [markDaysDirtyStatement(db, batch.siteId, days)] : []),
    addCountsStatement(db, batch.siteId, utcDay(batch.now), batch.counts),
    auditStatement(db, batch.siteId, batch.keyId, 'events.import', {
      valid: batch.rows.length,
      rejected: batch.rejected,
      from: days[0] ?? null,
      to: days.at(-1) ?? null,
    }),
  ])
  const stored = results.slice(0, inserts.length).reduce((n, r) => n + r.meta.changes, 0)
  return { stored, days }
}
