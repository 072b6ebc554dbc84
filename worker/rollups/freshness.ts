/**
 * Freshness (DESIGN §11): an accepted event shows in every endpoint within a minute, with or
 * without cron. The write that first marks a (site, day) dirty sends the queue a rebuild message
 * delayed by `rebuildDelaySeconds`; the consumer rebuilds the day then if it is still dirty, and
 * the rebuild bumps the site's data_version, so stored answers follow. Writes in between find
 * the day dirty already and send nothing: a busy site's day is rebuilt about once per delay
 * however many batches come in. Rebuilds are idempotent (rollups/index.ts), so a duplicate
 * message or a cron run rebuilding the same day changes nothing. Imports mark days without a
 * time and send nothing: a backlog is cron's, newest first.
 */
import type { Env, IngestMessage, RebuildMessage } from '../env'
import { daysOf, rebuildStatements, type Budget } from './index'

type Day = { site_id: string; day: string }
type Dirty = Day & { marked_at: number | null }

/** Long enough to gather a busy minute into two rebuilds, short enough to show within 60 s. */
const DEFAULT_DELAY_SECONDS = 30
/** The consumer's share of its invocation's 1,000 queries for rebuilds: about ten days. */
export const REBUILD_QUERIES = 250

export function rebuildDelaySeconds(env: Env): number {
  const s = Number(env.ROLLUP_REBUILD_DELAY_SECONDS ?? DEFAULT_DELAY_SECONDS)
  return Number.isFinite(s) && s >= 0 && s <= 50 ? s : DEFAULT_DELAY_SECONDS
}

export function isRebuildMessage(body: unknown): body is RebuildMessage {
  const m = body as Partial<RebuildMessage> | null
  return m?.kind === 'rebuild' && typeof m.site_id === 'string' && typeof m.day === 'string'
}

/**
 * After a write begun at `since` stored `messages`: sends a rebuild message for each day this
 * write marked dirty — the days of its events, and those an alias link marked (the anonymous
 * id's earlier days) — and rebuilds now a day it touched that is dirty for twice the delay (its
 * message was lost: the local queue keeps messages in memory). With no queue bound there is
 * nothing to delay with: the days are rebuilt now. Never throws: a day left dirty is cron's, or
 * the next write's.
 */
export async function scheduleRebuilds(
  env: Env,
  messages: IngestMessage[],
  since: number,
  budget: Budget,
) {
  try {
    // A poison message (retried, not stored) may hold anything: its rows are left out.
    const rows = messages.flatMap((m) => (Array.isArray(m?.rows) ? m.rows : []))
    const days = daysOf(rows.filter((r) => typeof r?.site_id === 'string' && isTime(r.ts)))
    if (!days.length || budget.left < 1) return
    const dirty = await dirtyOf(env.DB, days, since, budget)
    if (!env.EVENTS) return void (await rebuild(env.DB, dirty, budget))
    const delaySeconds = rebuildDelaySeconds(env)
    const marked = dirty.filter((d) => d.marked_at !== null && d.marked_at >= since)
    await sendRebuilds(env.EVENTS, marked, delaySeconds)
    const lost = since - 2_000 * Math.max(delaySeconds, 1)
    await rebuild(
      env.DB,
      dirty.filter((d) => d.marked_at === null || d.marked_at < lost),
      budget,
    )
  } catch (err) {
    console.error('rollup rebuild not scheduled:', String(err))
  }
}

/**
 * The consumer's side: rebuilds the days its rebuild messages name that are still dirty, newest
 * first, within `budget`. A day that did not fit comes back after the delay as a fresh message,
 * and its old one is acknowledged: a retry would count toward max_retries, and a busy hour would
 * push rebuilds into the dead-letter queue.
 */
export async function consumeRebuilds(
  env: Env,
  messages: readonly Message<unknown>[],
  budget: Budget,
): Promise<void> {
  const wanted = new Map<string, Day>()
  for (const m of messages) {
    const { site_id, day } = m.body as RebuildMessage
    wanted.set(keyOf({ site_id, day }), { site_id, day })
  }
  const delaySeconds = rebuildDelaySeconds(env)
  try {
    const dirty =
      budget.left < 1
        ? [...wanted.values()]
        : await dirtyOf(env.DB, [...wanted.values()], null, budget)
    const done = await rebuild(env.DB, dirty, budget)
    const waiting = dirty.filter((d) => !done.has(keyOf(d)))
    const unsent = env.EVENTS
      ? await sendRebuilds(env.EVENTS, waiting, delaySeconds)
      : new Set(waiting.map(keyOf))
    for (const m of messages) {
      if (unsent.has(keyOf(m.body as Day))) m.retry({ delaySeconds })
      else m.ack()
    }
  } catch (err) {
    console.error('rollup rebuild failed; its messages come back', String(err))
    for (const m of messages) m.retry({ delaySeconds })
  }
}

/** What one `sendBatch` may carry. */
const SEND_BATCH_MAX = 100

/**
 * A rebuild message per day, delayed, 100 a call, each call on its own so one refused call
 * loses no other day's message; returns the keys of the days not sent.
 */
async function sendRebuilds(
  queue: NonNullable<Env['EVENTS']>,
  days: Day[],
  delaySeconds: number,
): Promise<Set<string>> {
  const unsent = new Set<string>()
  for (let i = 0; i < days.length; i += SEND_BATCH_MAX) {
    const chunk = days.slice(i, i + SEND_BATCH_MAX)
    try {
      await queue.sendBatch(
        chunk.map((d) => ({
          body: { kind: 'rebuild', site_id: d.site_id, day: d.day } satisfies RebuildMessage,
          contentType: 'json',
          delaySeconds,
        })),
      )
    } catch (err) {
      console.error(`${chunk.length} rollup rebuild message(s) not sent:`, String(err))
      for (const d of chunk) unsent.add(keyOf(d))
    }
  }
  return unsent
}

/** A time `toISOString` can write: ±100 million days around 1970. */
function isTime(ts: unknown): ts is number {
  return typeof ts === 'number' && Math.abs(ts) <= 8.64e15
}

function keyOf(d: Day): string {
  return `${d.site_id}|${d.day}`
}

/** Days a write may have marked besides its events' (an alias link's), at most. */
const MAX_OTHER_DAYS = 500

/**
 * Which of `days` are dirty, and with `since`, also the days of their sites marked at or after
 * it (an alias link marks the anonymous id's other days). One query, the pairs as one JSON
 * parameter. Two writes at once may each find the other's marks: a second message for a day
 * finds it rebuilt and is acknowledged.
 */
async function dirtyOf(
  db: D1Database,
  days: Day[],
  since: number | null,
  budget: Budget,
): Promise<Dirty[]> {
  budget.left--
  const { results } = await db
    .prepare(
      `SELECT site_id, day, marked_at FROM rollup_dirty
       WHERE (site_id, day) IN (
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
       UNION
       SELECT * FROM (SELECT site_id, day, marked_at FROM rollup_dirty
         WHERE ?2 IS NOT NULL AND marked_at >= ?2
           AND site_id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1))
         LIMIT ?3)`,
    )
    .bind(JSON.stringify(days.map((d) => [d.site_id, d.day])), since, MAX_OTHER_DAYS)
    .all<Dirty>()
  return results
}

/** Rebuilds `dirty` newest first while `budget` allows, one D1 batch a day; returns those done. */
async function rebuild(db: D1Database, dirty: Day[], budget: Budget): Promise<Set<string>> {
  const done = new Set<string>()
  for (const d of [...dirty].sort((a, b) => b.day.localeCompare(a.day))) {
    const statements = rebuildStatements(db, d.site_id, d.day)
    if (statements.length > budget.left) break
    budget.left -= statements.length
    await db.batch(statements)
    done.add(keyOf(d))
  }
  return done
}
