/**
 * Writing events. Each chunk of rows travels as ONE bound JSON parameter that SQLite unpacks
 * with json_each, so a statement never binds more than D1's 100 parameters however wide the
 * events are, and a 100-event batch is one statement instead of 25 four-row inserts.
 */
import type { EventSource } from '../env'
import type { EventRow } from '../schemas'

export const EVENT_COLUMNS = [
  'site_id',
  'id',
  'type',
  'ts',
  'received_at',
  'uid',
  'sid',
  'tier',
  'feature',
  'workflow',
  'run',
  'step',
  'status',
  'reason',
  'stage',
  'journey',
  'name',
  'value',
  'currency',
  'institution',
  'path',
  'props',
  'device',
] as const

/**
 * `INSERT OR IGNORE` on (site_id, id, source) makes a resent or replayed event a no-op:
 * exactly-once storage, and a statement's `changes` count the events it stored.
 */
const INSERT_EVENTS = `INSERT OR IGNORE INTO events (source, ${EVENT_COLUMNS.join(', ')})
SELECT ?2, ${EVENT_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(', ')}
FROM json_each(?1)`

/** Rows per statement and bytes of JSON per statement, both well inside D1's limits. */
export const CHUNK_ROWS = 100
export const CHUNK_BYTES = 90_000

export function chunkRows(rows: readonly unknown[]): string[] {
  const chunks: string[] = []
  let current: string[] = []
  let bytes = 2
  for (const row of rows) {
    const json = JSON.stringify(row)
    if (
      current.length &&
      (current.length === CHUNK_ROWS || bytes + json.length + 1 > CHUNK_BYTES)
    ) {
      chunks.push(`[${current.join(',')}]`)
      current = []
      bytes = 2
    }
    current.push(json)
    bytes += json.length + 1
  }
  if (current.length) chunks.push(`[${current.join(',')}]`)
  return chunks
}

/** Seeds and the demo load write page events; ingest always names the source. */
export function insertEventStatements(
  db: D1Database,
  rows: EventRow[],
  source: EventSource = 'client',
): D1PreparedStatement[] {
  return chunkRows(rows).map((json) => db.prepare(INSERT_EVENTS).bind(json, source))
}
