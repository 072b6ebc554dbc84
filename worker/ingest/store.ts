/**
 * Storing ingest messages: the one write path, used by the queue consumer and by the
 * direct write when no queue is bound. Everything for one call goes in one D1 batch, which
 * D1 runs as a transaction: a failure leaves nothing half-written.
 */
import { addCountsStatement } from '../db/counters'
import { insertEventStatements } from '../db/events'
import type { Counts, Env, IngestMessage } from '../env'
import { daysOf, markDirtyStatement } from '../rollups'
import type { EventRow } from '../schemas'

export async function storeMessages(db: D1Database, messages: IngestMessage[]): Promise<void> {
  const rows: EventRow[] = []
  const counts = new Map<string, { site_id: string; day: string; counts: Partial<Counts> }>()
  for (const m of messages) {
    if (m.kind === 'event' && isRow(m.row)) rows.push(m.row)
    else if (m.kind === 'counts') {
      const key = `${m.site_id}|${m.day}`
      const sum = counts.get(key) ?? { site_id: m.site_id, day: m.day, counts: {} }
      for (const [k, v] of Object.entries(m.counts) as [keyof Counts, number][]) {
        sum.counts[k] = (sum.counts[k] ?? 0) + v
      }
      counts.set(key, sum)
    } else {
      // Not ours or corrupted: fail loudly so the queue retries and then dead-letters it,
      // rather than letting INSERT OR IGNORE drop it without a trace.
      throw new Error(`malformed ingest message (kind: ${String(m?.kind)})`)
    }
  }
  const statements = [
    ...insertEventStatements(db, rows),
    ...[...counts.values()].map((c) => addCountsStatement(db, c.site_id, c.day, c.counts)),
    ...daysOf(rows).map((d) => markDirtyStatement(db, d.site_id, d.day)),
  ]
  if (statements.length) await db.batch(statements)
}

function isRow(r: EventRow | undefined): r is EventRow {
  return (
    typeof r?.site_id === 'string' &&
    typeof r.id === 'string' &&
    typeof r.type === 'string' &&
    typeof r.ts === 'number'
  )
}

/** Queue limits: 100 messages and 256 KB per sendBatch call. */
const SEND_MAX_MESSAGES = 100
const SEND_MAX_BYTES = 250_000

/** Hands messages to the queue, or stores them at once when no queue is bound. */
export async function dispatch(env: Env, messages: IngestMessage[]): Promise<void> {
  if (!messages.length) return
  if (!env.EVENTS) return storeMessages(env.DB, messages)
  let chunk: MessageSendRequest<IngestMessage>[] = []
  let bytes = 0
  for (const body of messages) {
    const size = JSON.stringify(body).length + 100
    if (chunk.length === SEND_MAX_MESSAGES || (chunk.length && bytes + size > SEND_MAX_BYTES)) {
      await env.EVENTS.sendBatch(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push({ body, contentType: 'json' })
    bytes += size
  }
  await env.EVENTS.sendBatch(chunk)
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
