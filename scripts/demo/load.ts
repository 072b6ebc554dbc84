/**
 * Loads the demo into a D1 database whose site row already exists: writes the site config
 * and inserts the events through the same statements the ingest consumer uses, streamed in
 * D1 batches so even millions of events never sit in memory at once.
 */
import { insertEventStatements } from '../../worker/db/events'
import { putConfigStatement } from '../../worker/db/sites'
import { markDirtyStatement } from '../../worker/db/rollup-dirty'
import { DAY_MS, demoConfig } from './catalog'
import { demoEventChunks, HISTORY_DAYS, type DemoOptions } from './generate'

/** Statements per `db.batch` call; each statement carries up to 100 events. */
export const STATEMENTS_PER_BATCH = 50

export type LoadOptions = DemoOptions & {
  /** Called as each chunk of events goes to D1, with the running total (a progress line). */
  onProgress?: (events: number) => void
}

export async function loadDemo(db: D1Database, opts: LoadOptions): Promise<{ events: number }> {
  const now = opts.now ?? Date.now()
  // Events reach back to the subscription history's start.
  const days = Math.max(opts.days ?? 30, opts.historyDays ?? HISTORY_DAYS)
  await putConfigStatement(db, opts.siteId, demoConfig()).run()
  let events = 0
  // Through getPlatformProxy every prepare() and bind() is a round trip to workerd, as slow
  // as running the batch itself; preparing the next batch while one runs halves the time.
  let running: Promise<unknown> = Promise.resolve()
  for (const rows of demoEventChunks({ ...opts, now }, STATEMENTS_PER_BATCH * 100)) {
    // The backend's events (no device: revenue) in its id space, as ingest and import store them.
    const statements = [
      ...insertEventStatements(
        db,
        rows.filter((r) => r.device),
      ),
      ...insertEventStatements(
        db,
        rows.filter((r) => !r.device),
        'server',
      ),
    ]
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
      await running
      running = db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH))
    }
    events += rows.length
    opts.onProgress?.(events)
  }
  await running
  // Like the ingest consumer, mark every day the events fall on so cron builds its rollups.
  const marks = []
  for (let day = Math.floor((now - days * DAY_MS) / DAY_MS); day * DAY_MS <= now; day++) {
    marks.push(
      markDirtyStatement(db, opts.siteId, new Date(day * DAY_MS).toISOString().slice(0, 10)),
    )
  }
  for (let i = 0; i < marks.length; i += STATEMENTS_PER_BATCH) {
    await db.batch(marks.slice(i, i + STATEMENTS_PER_BATCH))
  }
  return { events }
}
