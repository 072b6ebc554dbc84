/**
 * Storing ingest messages: the one write path, used by the queue consumer, the outbox drain and
 * the direct write (a backend's batch, or no queue bound). Everything for one call goes in one
 * D1 batch, which D1 runs as a transaction: a failure leaves nothing half-written, and a
 * message's outbox row goes in the same transaction as its events.
 */
import { aliasStatements } from '../db/aliases'
import { addCountsStatement } from '../db/counters'
import { insertEventStatements } from '../db/events'
import { deleteOutboxStatement, insertOutboxStatement } from '../db/outbox'
import type { Counts, Env, EventSource, IngestMessage } from '../env'
import { markDaysDirtyStatement } from '../db/rollup-dirty'
import { daysOf, INVOCATION_QUERIES, type Budget } from '../rollups'
import { REBUILD_QUERIES, scheduleRebuilds } from '../rollups/freshness'
import type { EventRow } from '../schemas'

/**
 * The statements that store `messages`; the first `inserts` insert events. Throws on a message
 * that is not ours, so the queue retries and then dead-letters it rather than letting INSERT OR
 * IGNORE drop it without a trace.
 */
export function storeStatements(db: D1Database, messages: IngestMessage[]) {
  const rows = new Map<EventSource, EventRow[]>()
  const counts = new Map<string, { site_id: string; day: string; counts: Partial<Counts> }>()
  const outbox: string[] = []
  for (const m of messages) {
    if (!isMessage(m)) throw new Error('malformed ingest message')
    const sourceRows = rows.get(m.source) ?? []
    sourceRows.push(...m.rows)
    rows.set(m.source, sourceRows)
    if (m.outbox) outbox.push(m.outbox)
    if (!m.counts) continue
    const key = `${m.site_id}|${m.day}`
    const sum = counts.get(key) ?? { site_id: m.site_id, day: m.day, counts: {} }
    for (const [k, v] of Object.entries(m.counts) as [keyof Counts, number][]) {
      sum.counts[k] = (sum.counts[k] ?? 0) + v
    }
    counts.set(key, sum)
  }
  const inserts = [...rows].flatMap(([source, r]) => insertEventStatements(db, r, source))
  const statements = [
    ...inserts,
    // After the events: a link marks dirty the days of the anonymous id's stored events.
    ...aliasStatements(db, [...rows.values()].flat()),
    ...[...counts.values()].map((c) => addCountsStatement(db, c.site_id, c.day, c.counts)),
    ...markDaysDirtyStatement(db, daysOf([...rows.values()].flat())),
    ...(outbox.length ? [deleteOutboxStatement(db, outbox)] : []),
  ]
  return { statements, inserts: inserts.length }
}

/**
 * Stores `messages` in one transaction; returns how many events were new (not duplicates).
 * Charges `budget` its statements, run or failed: D1 counts each toward the invocation's 1,000.
 */
export async function storeMessages(
  db: D1Database,
  messages: IngestMessage[],
  budget?: Budget,
): Promise<number> {
  const { statements, inserts } = storeStatements(db, messages)
  if (!statements.length) return 0
  if (budget) budget.left -= statements.length
  const results = await db.batch(statements)
  return results.slice(0, inserts).reduce((n, r) => n + r.meta.changes, 0)
}

function isMessage(m: IngestMessage): boolean {
  return (
    typeof m?.site_id === 'string' &&
    (m.source === 'client' || m.source === 'server') &&
    (m.outbox === undefined || typeof m.outbox === 'string') &&
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

/**
 * Hands one request's rows and counts over. A backend's batch (low volume) and any batch when no
 * queue is bound are stored before the answer: returns how many events were new. A page's batch
 * goes to the queue: returns null, since its duplicates are only known once stored. Unless
 * INGEST_OUTBOX is "off", each queue message is first written to the outbox, so the events are in
 * D1 before the 202 whatever the queue then does with the message.
 */
export async function dispatch(env: Env, message: IngestMessage): Promise<number | null> {
  if (!message.rows.length && !message.counts) return 0
  const parts = splitBySize(message)
  const messages = parts.map((p) => p.message)
  if (!env.EVENTS || message.source === 'server') {
    const since = Date.now()
    const budget = { left: INVOCATION_QUERIES }
    const stored = await storeMessages(env.DB, messages, budget)
    // The consumer does this for the queue's messages: the days' rollups follow within a minute.
    await scheduleRebuilds(env, messages, since, {
      left: Math.min(REBUILD_QUERIES, budget.left),
    })
    return stored
  }
  if (env.INGEST_OUTBOX === 'off') {
    await sendToQueue(env.EVENTS, messages)
    return null
  }
  const now = Date.now()
  const kept = parts.map((p) => ({ ...p, id: crypto.randomUUID() }))
  await env.DB.batch(kept.map((p) => insertOutboxStatement(env.DB, p.id, p.json, now)))
  // Kept already: if the queue refuses them, the outbox drain stores them (ingest/outbox.ts).
  const queued = kept.map((p) => ({ ...p.message, outbox: p.id }))
  await sendToQueue(env.EVENTS, queued).catch((err) =>
    console.error('queue send failed; the outbox keeps the events', String(err)),
  )
  return null
}

/** A request is at most 64 KB: one or two messages, far inside sendBatch's 100 and 256 KB. */
function sendToQueue(queue: Queue<IngestMessage>, messages: IngestMessage[]) {
  return queue.sendBatch(messages.map((body) => ({ body, contentType: 'json' })))
}

/**
 * A message and its JSON, which is the outbox row's body: a request is serialized once to be
 * measured and kept, not once per row and then again.
 */
type Part = { message: IngestMessage; json: string }

function splitBySize(message: IngestMessage): Part[] {
  const json = JSON.stringify(message)
  if (json.length <= MESSAGE_MAX_BYTES) return [{ message, json }]
  const parts: IngestMessage[] = [{ ...message, rows: [] }]
  let bytes = 0
  for (const row of message.rows) {
    const size = JSON.stringify(row).length + 1
    if (bytes + size > MESSAGE_MAX_BYTES && parts.at(-1)!.rows.length) {
      parts.push({ site_id: message.site_id, day: message.day, source: message.source, rows: [] })
      bytes = 0
    }
    parts.at(-1)!.rows.push(row)
    bytes += size
  }
  return parts.map((m) => ({ message: m, json: JSON.stringify(m) }))
}

const DAY_MS = 86_400_000
/** The last day asked for: a batch's events fall on one or two days, so most calls are a hit. */
let lastDay = { n: NaN, day: '' }

export function utcDay(ms: number): string {
  // Beyond Date's range: let toISOString throw, as it always did.
  if (!(Math.abs(ms) <= 8.64e15)) return new Date(ms).toISOString().slice(0, 10)
  const n = Math.floor(ms / DAY_MS)
  if (n !== lastDay.n) lastDay = { n, day: new Date(n * DAY_MS).toISOString().slice(0, 10) }
  return lastDay.day
}
