/**
 * `workflow_runs`: one row per run, filed under the UTC day of its first event (DESIGN §7.2).
 * A day's rows come from the raw `step` events in [day − L, day + 1 d + L), L being the same
 * lookback the per-request query uses (the site's longest conversion window, at least 30 min,
 * at most 7 days); a run counts on the day when its first event read lies in the day, exactly
 * as the request-time query decides whether a run started in the period.
 *
 * A run can spill past midnight, and a late event can move a run's start to the day before, so
 * a dirty day D rebuilds the rows of D − 1, D and D + 1, each day from its own read window:
 * a day's rows depend only on the stored events, never on which neighbour was rebuilt last.
 * That covers every run an event can touch when L ≤ 1 day; the loader reads raw events when
 * L is longer (see worker/db/insights/workflow-runs.ts).
 */
import type { Rollup } from './index'
import { resolvedUid } from '../db/aliases'

const DAY_MS = 86_400_000

/** The lookback L in ms, from the site's config, as worker/routes/insights/load.ts computes it. */
const LOOKBACK_SQL = `(SELECT min(604800000, 1000 * max(1800, coalesce(max(json_extract(w.value, '$.conversion_window_s')), 0)))
  FROM site_config c, json_each(c.config, '$.workflows') w WHERE c.site_id = ?1)`

/** The value of `column` on the run's earliest event that has one (ts zero-padded to sort). */
const firstOf = (column: string) =>
  `substr(min(CASE WHEN ${column} IS NOT NULL THEN printf('%015d', ts) || ${column} END), 16)`

/** ?1 site, ?2 day start, ?3 day end (ms), ?4 the day (YYYY-MM-DD). */
export const REBUILD_WORKFLOW_RUNS = `INSERT INTO workflow_runs (site_id, day, workflow, run, uid, tier,
  device, institution, started_at, last_at, features, trail)
SELECT ?1, ?4, workflow, run, uid, tier, device, institution, started_at, last_at,
  ',' || features || ',', trail
FROM (
  SELECT workflow, run,
    ${firstOf(resolvedUid('events'))} AS uid, ${firstOf('tier')} AS tier, ${firstOf('device')} AS device,
    ${firstOf('institution')} AS institution,
    min(ts) AS started_at, max(ts) AS last_at, group_concat(DISTINCT feature) AS features,
    json_group_array(json_array(ts, step, status, reason)) AS trail
  FROM events INDEXED BY events_site_type_ts
  WHERE site_id = ?1 AND type = 'step'
    AND ts >= ?2 - ${LOOKBACK_SQL} AND ts < ?3 + ${LOOKBACK_SQL}
  GROUP BY workflow, run
)
WHERE started_at >= ?2 AND started_at < ?3`

export const DELETE_WORKFLOW_RUNS = 'DELETE FROM workflow_runs WHERE site_id = ?1 AND day = ?2'

function rebuildOne(db: D1Database, siteId: string, dayStart: number) {
  const day = new Date(dayStart).toISOString().slice(0, 10)
  return [
    db.prepare(DELETE_WORKFLOW_RUNS).bind(siteId, day),
    db.prepare(REBUILD_WORKFLOW_RUNS).bind(siteId, dayStart, dayStart + DAY_MS, day),
  ]
}

export const workflowRunsRollup: Rollup = {
  name: 'workflow_runs',
  rebuild: (db, siteId, dayStart) =>
    [-1, 0, 1].flatMap((d) => rebuildOne(db, siteId, dayStart + d * DAY_MS)),
}
