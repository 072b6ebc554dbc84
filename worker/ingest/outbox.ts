/**
 * Draining the ingest outbox: storing the queue messages the queue never delivered. The consumer
 * deletes a message's row as it stores it, so a row that is still here two minutes on was lost
 * (the local queue of `wrangler dev` keeps messages in memory and a crash loses them) or is still
 * being retried. Storing it is idempotent (events dedupe on their key), so a late delivery after
 * the drain stores nothing twice. Like the consumer: the rows in one transaction, then one by
 * one, and a row that fails `MAX_ATTEMPTS` drains goes to dead_letters.
 */
import {
  deadLetterStatements,
  dueOutboxRows,
  failedDrainStatement,
  type OutboxRow,
} from '../db/outbox'
import type { Env, IngestMessage } from '../env'
import type { Budget } from '../rollups'
import { storeStatements } from './store'

/** Far past the consumer's 1 s batch timeout and its first retries (2, 4, 8 … s). */
export const OUTBOX_AGE_MS = 120_000
/** Rows read at once: a message is ≤ 100 KB, so a read stays near 1 MB. */
const DRAIN_ROWS = 10
const MAX_ATTEMPTS = 5

type Outcome = 'stored' | 'failed' | 'over_budget'

/** Whether ingest writes the outbox; then the consumer drains too (bare `wrangler dev`: no cron). */
export function outboxOn(env: Env): boolean {
  return Boolean(env.EVENTS) && env.INGEST_OUTBOX !== 'off'
}

/**
 * Stores outbox rows older than OUTBOX_AGE_MS within `budget`; returns how many it stored, and
 * appends their messages to `stored` (the consumer schedules their days' rebuilds).
 */
export async function drainOutbox(
  db: D1Database,
  now: number,
  budget: Budget,
  stored: IngestMessage[] = [],
): Promise<number> {
  let drained = 0
  while (budget.left > 0) {
    budget.left--
    const rows = await dueOutboxRows(db, now - OUTBOX_AGE_MS, DRAIN_ROWS)
    if (!rows.length) break
    const whole = await store(db, rows, budget, stored)
    if (whole === 'stored') drained += rows.length
    if (whole === 'failed') {
      for (const row of rows) {
        const one = await store(db, [row], budget, stored)
        if (one === 'stored') drained++
        if (one === 'over_budget' || (one === 'failed' && !(await giveUp(db, row, now, budget))))
          return drained
      }
    }
    // After a failure the rows that failed are still the oldest: they wait for the next run.
    if (whole !== 'stored' || rows.length < DRAIN_ROWS) break
  }
  return drained
}

async function store(
  db: D1Database,
  rows: OutboxRow[],
  budget: Budget,
  stored: IngestMessage[],
): Promise<Outcome> {
  try {
    const messages = rows.map((r) => ({ ...(JSON.parse(r.body) as IngestMessage), outbox: r.id }))
    const { statements } = storeStatements(db, messages)
    if (statements.length > budget.left) return 'over_budget'
    budget.left -= statements.length
    await db.batch(statements)
    stored.push(...messages)
    return 'stored'
  } catch (err) {
    console.error(`outbox drain of ${rows.length} message(s) failed`, String(err))
    return 'failed'
  }
}

/** Counts the failed attempt, or moves the row to dead_letters at the last; false if no budget. */
async function giveUp(db: D1Database, row: OutboxRow, now: number, budget: Budget) {
  const statements =
    row.attempts + 1 >= MAX_ATTEMPTS
      ? deadLetterStatements(db, row, now)
      : [failedDrainStatement(db, row.id)]
  if (statements.length > budget.left) return false
  budget.left -= statements.length
  await db.batch(statements)
  return true
}
