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
    if (!isMessage(m)) {
      // Not ours or corrupted: fail loudly so the queue retries and then dead-letters it,
      // rather than letting INSERT OR IGNORE drop it without a trace.
      throw new Error('malformed ingest message')
    }
    rows.push(...m.rows)
    if (!m.counts) continue
    const key = `${m.site_id}|${m.day}`
    const sum = counts.get(key) ?? { site_id: m.site_id, day: m.day, counts: {} }
    for (const [k, v] of Object.entries(m.counts) as [keyof Counts, number][]) {
      sum.counts[k] = (sum.counts[k] ?? 0) + v
    }
    counts.set(key, sum)
  }
  const statements = [
    ...insertEventStatements(db, rows),
    ...[...counts.values()].map((c) => addCountsStatement(db, c.site_id, c.day, c.counts)),
    ...daysOf(rows).map((d) => markDirtyStatement(db, d.site_id, d.day)),
  ]
  if (statements.length) await db.batch(statements)
}

function isMessage(m: IngestMessage): boolean {
  return (
    typeof m?.site_id === 'string' &&
    Array.isArray(m.rows) &&
    m.rows.every(
      (r) =>
        r?.site_id === m.site_id &&
        typeof r.id === 'string' &&
        typeof r.type === 'string' &&
        typeof r.ts === 'number',
    )
  )
}

/** A queue message may be 128 KB; a 64 KB request grows a little once rows carry site and device. */
const MESSAGE_MAX_BYTES = 100_000

/** Hands one request's rows and counts to the queue, or stores them at once without a queue. */
export async function dispatch(env: Env, message: IngestMessage): Promise<void> {
  if (!message.rows.length && !message.counts) return
  const messages = splitBySize(message)
  if (!env.EVENTS) return storeMessages(env.DB, messages)
  // A request is at most 64 KB, so this is one or two messages: far inside sendBatch's
  // 100 messages and 256 KB.
  await env.EVENTS.sendBatch(messages.map((body) => ({ body, contentType: 'json' })))
}

function splitBySize(message: IngestMessage): IngestMessage[] {
  const parts: IngestMessage[] = [{ ...message, rows: [] }]
  let bytes = 0
  for (const row of message.rows) {
    const size = JSON.stringify(row).length + 1
    if (bytes + size > MESSAGE_MAX_BYTES && parts.at(-1)!.rows.length) {
      parts.push({ site_id: message.site_id, day: message.day, rows: [] })
      bytes = 0
    }
    parts.at(-1)!.rows.push(row)
    bytes += size
  }
  return parts
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
