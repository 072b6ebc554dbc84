/**
 * The queue consumer. The happy path stores a whole batch in one transaction. If that fails,
 * each message is stored alone, so one poison message is retried (and, after the queue's
 * max_retries, moved to the dead-letter queue) while the rest are acknowledged. Replays are
 * harmless: events are inserted with INSERT OR IGNORE on (site_id, id).
 */
import type { Env, IngestMessage } from '../env'
import { storeMessages } from './store'

export const DEAD_LETTER_QUEUE = 'stepwise-events-dlq'

export async function consume(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return keepDeadLetters(batch, env)
  try {
    await storeMessages(
      env.DB,
      batch.messages.map((m) => m.body as IngestMessage),
    )
    batch.ackAll()
    return
  } catch (err) {
    console.error('ingest batch failed; storing its messages one by one', err)
  }
  for (const message of batch.messages) {
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

async function keepDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now()
  await env.DB.batch(
    batch.messages.map((m) =>
      env.DB.prepare(
        'INSERT INTO dead_letters (queue, body, received_at) VALUES (?1, ?2, ?3)',
      ).bind(batch.queue, JSON.stringify(m.body), now),
    ),
  )
  batch.ackAll()
}
