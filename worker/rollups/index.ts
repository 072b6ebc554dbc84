/**
 * Daily rollups (DESIGN §8): long-period views read these instead of raw events. Each rollup
 * rebuilds one (site, day) from raw events — delete then insert-select, one transaction — so
 * running it twice gives the same rows. Ingest marks days dirty; the queue consumer rebuilds
 * them within a minute (rollups/freshness.ts), and cron rebuilds whatever else is dirty.
 */
import { bumpDataVersionStatement } from '../db/answers'
import { utcDay } from '../ingest/store'
import { INSIGHT_ROLLUPS } from './insights'
import { workflowRunsRollup } from './workflow-runs'

export type Rollup = {
  name: string
  /** Statements that replace the rollup rows of `day` (YYYY-MM-DD) for `siteId`. */
  rebuild: (db: D1Database, siteId: string, dayStart: number, day: string) => D1PreparedStatement[]
}

/** Every rollup the cron maintains; add yours here. */
export const ROLLUPS: Rollup[] = [...INSIGHT_ROLLUPS, workflowRunsRollup]

/** Dirty days one run looks at; its query budget may stop it sooner. */
const MAX_DAYS_PER_RUN = 200

/** Queries a job may still run: D1 counts every statement of a batch toward its 1,000. */
export type Budget = { left: number }

/** D1's limit on the queries of one invocation. */
export const INVOCATION_QUERIES = 1_000

/** One D1 batch: every rollup's rows of the day, the site's data version, the dirty mark. */
export function rebuildStatements(db: D1Database, siteId: string, day: string) {
  const dayStart = Date.parse(`${day}T00:00:00Z`)
  return [
    ...ROLLUPS.flatMap((r) => r.rebuild(db, siteId, dayStart, day)),
    bumpDataVersionStatement(db, siteId),
    db.prepare('DELETE FROM rollup_dirty WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
  ]
}

export async function rebuildDay(db: D1Database, siteId: string, day: string): Promise<void> {
  await db.batch(rebuildStatements(db, siteId, day))
}

/**
 * Rebuilds dirty days newest first, as many as `budget` allows; returns those it rebuilt. Newest
 * first: a backlog (a migration's backfill, an import) never holds back today's numbers.
 */
export async function rebuildDirtyDays(
  db: D1Database,
  budget: Budget,
): Promise<{ site_id: string; day: string }[]> {
  budget.left--
  const { results } = await db
    .prepare('SELECT site_id, day FROM rollup_dirty ORDER BY day DESC LIMIT ?1')
    .bind(MAX_DAYS_PER_RUN)
    .all<{ site_id: string; day: string }>()
  const rebuilt = []
  for (const d of results) {
    const statements = rebuildStatements(db, d.site_id, d.day)
    if (statements.length > budget.left) break
    budget.left -= statements.length
    await db.batch(statements)
    rebuilt.push(d)
  }
  return rebuilt
}

/** The distinct (site, day) pairs of a set of event timestamps. */
export function daysOf(
  rows: { site_id: string; ts: number }[],
): { site_id: string; day: string }[] {
  const seen = new Map<string, { site_id: string; day: string }>()
  for (const r of rows) {
    const day = utcDay(r.ts)
    seen.set(`${r.site_id}|${day}`, { site_id: r.site_id, day })
  }
  return [...seen.values()]
}
