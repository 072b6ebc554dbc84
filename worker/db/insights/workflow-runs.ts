/**
 * Workflow runs (DESIGN §7.2). Days whose `workflow_runs` rollup rows are current are read
 * from it; the rest — from the day before the site's first dirty day on, where a rebuild is
 * still pending — from raw `step` events through the (site_id, type, ts) index, where SQLite
 * groups the events into one row per run, so the Worker receives runs, not events. Events are
 * read from `lookback` before that part to `lookback` after the period, and a run counts in
 * the period when its first event is inside it, so runs are neither cut nor counted twice.
 * Both parts return the same row for the same run (the rollup stores what the raw query
 * computes), so where a run is read from never changes an answer.
 */
import { resolvedUid } from '../aliases'

/** A run as this query returns it: the run's attributes and its events as a JSON array. */
export type WorkflowRunRow = {
  workflow: string
  run: string
  uid: string | null
  tier: string | null
  device: string | null
  institution: string | null
  started_at: number
  last_at: number
  /** JSON `[[ts, step, status, reason], …]`, in no particular order. */
  trail: string
}

/** Runs one query may return; past it the answer says `truncated: true`. */
export const MAX_RUNS = 50_000

/** The value of `column` on the run's earliest event that has one (ts zero-padded to sort). */
const firstOf = (column: string) =>
  `substr(min(CASE WHEN ${column} IS NOT NULL THEN printf('%015d', ts) || ${column} END), 16)`

export const WORKFLOW_RUNS_SQL = `SELECT workflow, run, uid, tier, device, institution, started_at, last_at, trail
FROM (
  SELECT workflow, run,
    ${firstOf(resolvedUid('events'))} AS uid, ${firstOf('tier')} AS tier, ${firstOf('device')} AS device,
    ${firstOf('institution')} AS institution,
    min(ts) AS started_at, max(ts) AS last_at, max(feature = ?9) AS has_feature,
    json_group_array(json_array(ts, step, status, reason)) AS trail
  FROM events INDEXED BY events_site_type_ts
  WHERE site_id = ?1 AND type = 'step' AND ts >= ?2 AND ts < ?3
    AND (?6 IS NULL OR workflow = ?6)
  GROUP BY workflow, run
)
WHERE started_at >= ?4 AND started_at < ?5
  AND (?7 IS NULL OR tier = ?7) AND (?8 IS NULL OR device = ?8)
  AND (?9 IS NULL OR workflow = ?9 OR has_feature = 1)
LIMIT ?10`

export type WorkflowRunsQuery = {
  siteId: string
  from: number
  to: number
  /** How far around the period to read events of runs that start inside it. */
  lookbackMs: number
  workflow?: string
  tier?: string
  device?: string
  feature?: string
}

/**
 * The same rows from the rollup, for runs started in [?4, ?5) on days ?2..?3, in primary-key
 * order (day, workflow, run): no sort. Runs that start at the same ms share a day, so they keep
 * the (workflow, run) order the raw query gives, and the analyses see ties the same way.
 */
export const ROLLED_UP_RUNS_SQL = `SELECT workflow, run, uid, tier, device, institution, started_at, last_at, trail
FROM workflow_runs
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND started_at >= ?4 AND started_at < ?5
  AND (?6 IS NULL OR workflow = ?6) AND (?7 IS NULL OR tier = ?7) AND (?8 IS NULL OR device = ?8)
  AND (?9 IS NULL OR workflow = ?9 OR instr(features, ',' || ?9 || ',') > 0)
LIMIT ?10`

/** The site's earliest day still waiting for its rollups to be rebuilt. */
export const FIRST_DIRTY_DAY_SQL = 'SELECT min(day) AS day FROM rollup_dirty WHERE site_id = ?1'

const DAY_MS = 86_400_000
/** The rollup's rebuild keeps neighbouring days current only for lookbacks up to a day. */
const MAX_ROLLUP_LOOKBACK_MS = DAY_MS

/**
 * Where the rollup stops being current: a day's rows read events up to a lookback into the
 * next day, and a dirty day is rebuilt with both neighbours, so the day before the first dirty
 * day may be stale too. Infinity when nothing is pending.
 */
async function rolledUpUntil(db: D1Database, siteId: string): Promise<number> {
  const row = await db.prepare(FIRST_DIRTY_DAY_SQL).bind(siteId).first<{ day: string | null }>()
  return row?.day ? Date.parse(`${row.day}T00:00:00Z`) - DAY_MS : Infinity
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export async function workflowRuns(
  db: D1Database,
  q: WorkflowRunsQuery,
): Promise<{ rows: WorkflowRunRow[]; truncated: boolean }> {
  const cut =
    q.lookbackMs <= MAX_ROLLUP_LOOKBACK_MS
      ? Math.max(q.from, Math.min(q.to, await rolledUpUntil(db, q.siteId)))
      : q.from
  const filters = [q.workflow ?? null, q.tier ?? null, q.device ?? null, q.feature ?? null]
  const [rolled, raw] = await Promise.all([
    cut > q.from
      ? db
          .prepare(ROLLED_UP_RUNS_SQL)
          .bind(q.siteId, utcDay(q.from), utcDay(cut - 1), q.from, cut, ...filters, MAX_RUNS)
          .all<WorkflowRunRow>()
      : { results: [] as WorkflowRunRow[] },
    cut < q.to
      ? db
          .prepare(WORKFLOW_RUNS_SQL)
          .bind(q.siteId, cut - q.lookbackMs, q.to + q.lookbackMs, cut, q.to, ...filters, MAX_RUNS)
          .all<WorkflowRunRow>()
      : { results: [] as WorkflowRunRow[] },
  ])
  const rows = [...rolled.results, ...raw.results].slice(0, MAX_RUNS)
  return { rows, truncated: rows.length === MAX_RUNS }
}
