/**
 * The queue consumer. The happy path stores a whole batch in one transaction, deleting the
 * messages' outbox rows in it. If that fails, each message is stored alone, so one poison
 * message is retried (and, after the queue's max_retries, moved to the dead-letter queue) while
 * the rest are acknowledged. Replays are harmless: events are inserted with INSERT OR IGNORE on
 * (site_id, id, source). Then it schedules the rebuild of the days it marked dirty, rebuilds
 * the days of the rebuild messages that came due (rollups/freshness.ts), and drains what the
 * queue lost (ingest/outbox.ts).
 */
import { deleteOutboxStatement } from '../db/outbox'
import type { Env, IngestMessage } from '../env'
import {
  consumeRebuilds,
  isRebuildMessage,
  REBUILD_QUERIES,
  scheduleRebuilds,
} from '../rollups/freshness'
import { drainOutbox, outboxOn } from './outbox'
import { storeMessages } from './store'

export const DEAD_LETTER_QUEUE = 'stepwise-events-dlq'
/** A drain's share of the consumer invocation's 1,000 queries. */
const DRAIN_QUERIES = 50

export async function consume(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return keepDeadLetters(batch, env)
  const since = Date.now()
  const rebuilds = batch.messages.filter((m) => isRebuildMessage(m.body))
  const ingest = batch.messages.filter((m) => !isRebuildMessage(m.body))
  // One share for both: a day marked long ago and rebuilt now, and the days that came due.
  const budget = { left: REBUILD_QUERIES }
  if (ingest.length) {
    await storeBatch(ingest, env)
    const stored = ingest.map((m) => m.body as IngestMessage)
    await scheduleRebuilds(env, stored, since, budget)
  }
  // After storing: a day rebuilt now includes this batch's events.
  if (rebuilds.length) await consumeRebuilds(env, rebuilds, budget)
  if (!outboxOn(env)) return
  await drainOutbox(env.DB, Date.now(), { left: DRAIN_QUERIES }).catch((err) =>
    console.error('outbox not drained:', String(err)),
  )
}

async function storeBatch(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  try {
    await storeMessages(
      env.DB,
      messages.map((m) => m.body as IngestMessage),
    )
    for (const message of messages) message.ack()
    return
  } catch (err) {
    console.error('ingest batch failed; storing its messages one by one', err)
  }
  for (const message of messages) {
    try {
      await storeMessages(env.DB, [message.body as IngestMessage])
      message.ack()
    } catch (err) {
      console.error(`ingest message ${message.id} failed (attempt ${message.attempts})`, err)
      message.retry({ delaySeconds: backoffSeconds(message.attempts) })
    }
  }
}

/** 2, 4, 8, … seconds with ±50% jitter, capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(300, 2 ** attempts)
  return Math.max(1, Math.round(base * (0.5 + Math.random())))
}

/** Kept in dead_letters, a message leaves the outbox: the drain would only fail it again. */
async function keepDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now()
  const outbox = batch.messages
    .map((m) => (m.body as Partial<IngestMessage> | null)?.outbox)
    .filter((id): id is string => typeof id === 'string')
  await env.DB.batch([
    ...batch.messages.map((m) =>
      env.DB.prepare(
        'INSERT INTO dead_letters (queue, body, received_at) VALUES (?1, ?2, ?3)',
      ).bind(batch.queue, JSON.stringify(m.body), now),
    ),
    ...(outbox.length ? [deleteOutboxStatement(env.DB, outbox)] : []),
  ])
  batch.ackAll()
}
