/**
 * The queue consumer. The happy path stores a whole batch in one transaction, deleting the
 * messages' outbox rows in it. If that fails, each message is stored alone, so one poison
 * message is retried (and, after the queue's max_retries, moved to the dead-letter queue) while
 * the rest are acknowledged. Replays are harmless: events are inserted with INSERT OR IGNORE on
 * (site_id, id, source). Then it schedules the rebuild of the days it marked dirty, rebuilds
 * the days of the rebuild messages that came due (rollups/freshness.ts), and drains what the
 * queue lost (ingest/outbox.ts), scheduling its days the same way. Each message names its
 * site, so each goes to its site's shard (db/shards.ts), where that site's outbox rows are too;
 * the budget is the invocation's, over all shards.
 */
import { deleteOutboxStatement } from '../db/outbox'
import { allShards, byShard } from '../db/shards'
import type { Env, IngestMessage } from '../env'
import { INVOCATION_QUERIES, type Budget } from '../rollups'
import {
  consumeRebuilds,
  isRebuildMessage,
  REBUILD_QUERIES,
  scheduleRebuilds,
} from '../rollups/freshness'
import { drainOutbox, outboxOn } from './outbox'
import { storeMessages } from './store'

export const DEAD_LETTER_QUEUE = 'stepwise-events-dlq'
/** A drain's share of the consumer invocation's 1,000 queries, scheduling its days included. */
const DRAIN_QUERIES = 50

export async function consume(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return keepDeadLetters(batch, env)
  const since = Date.now()
  const rebuilds = batch.messages.filter((m) => isRebuildMessage(m.body))
  const ingest = byShard(
    env,
    batch.messages.filter((m) => !isRebuildMessage(m.body)),
    siteOf,
  )
  // D1 counts every statement of the invocation: storing first (perhaps twice, whole then one
  // by one), then rebuilds within what is left less the drain's share.
  const budget = { left: INVOCATION_QUERIES }
  for (const shard of ingest) await storeBatch(shard.items, shard.env, budget)
  // One share for both: a day marked long ago and rebuilt now, and the days that came due.
  const share = { left: Math.max(0, Math.min(REBUILD_QUERIES, budget.left - DRAIN_QUERIES)) }
  for (const shard of ingest) {
    const stored = shard.items.map((m) => m.body as IngestMessage)
    await scheduleRebuilds(shard.env, stored, since, share)
  }
  // After storing: a day rebuilt now includes this batch's events.
  for (const shard of byShard(env, rebuilds, siteOf)) {
    await consumeRebuilds(shard.env, shard.items, share)
  }
  if (!outboxOn(env)) return
  const shards = allShards(env)
  const each = Math.floor(Math.min(DRAIN_QUERIES, budget.left) / shards.length)
  for (const shard of shards) {
    const drainedAt = Date.now()
    const drained: IngestMessage[] = []
    // One query kept back, so the drained days can be looked up and scheduled.
    const drain = { left: each - 1 }
    await drainOutbox(shard.db, drainedAt, drain, drained).catch((err) =>
      console.error('outbox not drained:', String(err)),
    )
    // What the queue lost is scheduled like the batch: its days show within a minute, no cron.
    if (drained.length) {
      await scheduleRebuilds(shard.env, drained, drainedAt, { left: drain.left + 1 + share.left })
    }
  }
}

function siteOf(message: Message<unknown>): unknown {
  return (message.body as { site_id?: unknown } | null)?.site_id
}

async function storeBatch(
  messages: readonly Message<unknown>[],
  env: Env,
  budget: Budget,
): Promise<void> {
  try {
    await storeMessages(
      env.DB,
      messages.map((m) => m.body as IngestMessage),
      budget,
    )
    for (const message of messages) message.ack()
    return
  } catch (err) {
    console.error('ingest batch failed; storing its messages one by one', err)
  }
  for (const message of messages) {
    try {
      await storeMessages(env.DB, [message.body as IngestMessage], budget)
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

/**
 * Kept in dead_letters, a message leaves the outbox: the drain would only fail it again. A
 * rebuild message is no poison (its D1 failed, or an old one ran out of retries): dropped, its
 * day stays dirty for cron and the next write to it.
 */
async function keepDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now()
  const kept = batch.messages.filter((m) => !isRebuildMessage(m.body))
  if (!kept.length) return batch.ackAll()
  // In the site's shard, beside its outbox row; a message naming no site, in DB.
  for (const { env: shard, items } of byShard(env, kept, siteOf)) {
    const db = shard.DB
    const outbox = items
      .map((m) => (m.body as Partial<IngestMessage> | null)?.outbox)
      .filter((id): id is string => typeof id === 'string')
    await db.batch([
      ...items.map((m) =>
        db
          .prepare('INSERT INTO dead_letters (queue, body, received_at) VALUES (?1, ?2, ?3)')
          .bind(batch.queue, JSON.stringify(m.body), now),
      ),
      ...(outbox.length ? [deleteOutboxStatement(db, outbox)] : []),
    ])
  }
  batch.ackAll()
}
