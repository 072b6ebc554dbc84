-- Why a feature_access drop-off's users left (DESIGN §7.6, docs/formulas.md): its
-- `common_reasons` count dropped users, one reason each — that of their latest failed or
-- abandoned use in the period — so they sum to `dropped`. Each rollup_feature_days row keeps its
-- user-day's latest such use as one sortable string, the ts zero-padded to 15 digits then the
-- reason, so a period's latest is max(last_fail) over the rows; NULL exactly when the row has no
-- failed or abandoned use. One column, not two: it is read inside the per-user grouping that
-- makes /dropoffs and feature value cost what they do, where every column counts.
-- worker/rollups/feature-days.ts fills it. rollup_feature_reasons stays: it counts failed uses,
-- which is what the low_success opportunity reports (§7.7).
ALTER TABLE rollup_feature_days ADD COLUMN last_fail TEXT;

-- Rows stored before this column get a stand-in (ts 0, reason 'unknown'), so "has a failed or
-- abandoned use" is `last_fail IS NOT NULL` from now on and no drop-off count moves; any real
-- failure in the period sorts after it.
UPDATE rollup_feature_days SET last_fail = printf('%015d', 0) || 'unknown'
WHERE failed + abandoned > 0 AND last_fail IS NULL;

-- Backfill: every day that already holds feature events is marked for cron to rebuild, which
-- replaces the stand-ins with the real reasons (a one-off index scan; rebuilds are idempotent).
INSERT OR IGNORE INTO rollup_dirty (site_id, day)
SELECT DISTINCT site_id, strftime('%Y-%m-%d', ts / 1000, 'unixepoch') FROM events WHERE type = 'feature';

-- Answers stored before this migration counted reasons in events: void them (migrations/0006).
UPDATE sites SET data_version = data_version + 1;
