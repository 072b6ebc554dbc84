-- One row per workflow run (DESIGN §7.2, §8), filed under the UTC day of its first event and
-- rebuilt from raw `step` events by worker/rollups/workflow-runs.ts. Workflows, drop-offs,
-- opportunities and the dashboard read runs from here instead of grouping raw events per
-- request. The row holds what the per-request query used to return, so the analysis is the same.
CREATE TABLE workflow_runs (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,    -- YYYY-MM-DD, UTC, of started_at
  workflow     TEXT NOT NULL,
  run          TEXT NOT NULL,
  uid          TEXT,             -- each of these four: from the run's earliest event that has it
  tier         TEXT,
  device       TEXT,
  institution  TEXT,
  started_at   INTEGER NOT NULL, -- first event, ms epoch
  last_at      INTEGER NOT NULL, -- last event, ms epoch (outcomes depend on now − last_at)
  features     TEXT,             -- ',a,b,': distinct features the run's events named, or NULL
  trail        TEXT NOT NULL,    -- JSON [[ts, step, status, reason], …], in no particular order
  PRIMARY KEY (site_id, day, workflow, run)
) WITHOUT ROWID;

-- Backfill: every day that already holds step events is marked for cron to rebuild, so runs
-- stored before this table existed are filed too (a one-off scan; rebuilds are idempotent).
INSERT OR IGNORE INTO rollup_dirty (site_id, day)
SELECT DISTINCT site_id, strftime('%Y-%m-%d', ts / 1000, 'unixepoch') FROM events WHERE type = 'step';
