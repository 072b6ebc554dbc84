-- When ingest marked a day dirty (ms since the epoch), so the write that marks it first sends
-- the queue one delayed rebuild message and later writes to the same day send none
-- (worker/rollups/freshness.ts). NULL: marked by another path (an import, an alias link, an
-- erasure), which the cron rebuilds; an ingest write to such a day sets the time.
ALTER TABLE rollup_dirty ADD COLUMN marked_at INTEGER;
