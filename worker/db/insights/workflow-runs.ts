/**
 * Workflow runs from raw `step` events through the (site_id, type, ts) index (DESIGN §7.2):
 * SQLite groups the events into one row per run, so the Worker receives runs, not events.
 * Events are read from `lookback` before the period to `lookahead` after it, and a run counts
 * in the period when its first event is inside it, so runs are neither cut nor counted twice.
 */
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
    ${firstOf('uid')} AS uid, ${firstOf('tier')} AS tier, ${firstOf('device')} AS device,
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

export async function workflowRuns(
  db: D1Database,
  q: WorkflowRunsQuery,
): Promise<{ rows: WorkflowRunRow[]; truncated: boolean }> {
  const { results } = await db
    .prepare(WORKFLOW_RUNS_SQL)
    .bind(
      q.siteId,
      q.from - q.lookbackMs,
      q.to + q.lookbackMs,
      q.from,
      q.to,
      q.workflow ?? null,
      q.tier ?? null,
      q.device ?? null,
      q.feature ?? null,
      MAX_RUNS,
    )
    .all<WorkflowRunRow>()
  return { rows: results, truncated: results.length === MAX_RUNS }
}
