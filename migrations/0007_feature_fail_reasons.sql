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

-- Backfill, here and exactly: each stored row that has a failed or abandoned use (the only rows
-- that can have a last_fail) gets the value REBUILD_FEATURE_DAYS would give it, so no day is
-- marked dirty. Marking them instead would queue every day ever seen ahead of today's (cron
-- rebuilds oldest first) and send workflow reads to raw events for whole periods.
-- The subquery seeks one user's events of the row's UTC day through events_site_uid_ts, a few
-- rows each, and the outer statement reads only rollup_feature_days, so the cost grows with the
-- failing rows, not with `events`. A row's uid '' stands for events without a uid (ingest never
-- stores ''), which `IS NULL` seeks on the same index. A row whose events are gone (a retention
-- purge cut short by its query budget deletes events before their rollup day) keeps a stand-in
-- (ts 0, reason 'unknown'), so "has a failed or abandoned use" stays `last_fail IS NOT NULL`.
UPDATE rollup_feature_days AS r SET last_fail = coalesce(
  (SELECT max(printf('%015d', e.ts) || coalesce(e.reason, 'unknown'))
   FROM events AS e INDEXED BY events_site_uid_ts
   WHERE e.site_id = r.site_id AND e.uid IS nullif(r.uid, '')
     AND e.ts >= unixepoch(r.day) * 1000 AND e.ts < unixepoch(r.day) * 1000 + 86400000
     AND e.type = 'feature' AND e.status IN ('failed', 'abandoned') AND e.feature = r.feature
     AND coalesce(e.tier, 'unknown') = r.tier AND coalesce(e.device, 'unknown') = r.device),
  printf('%015d', 0) || 'unknown')
WHERE r.failed + r.abandoned > 0;

-- Answers stored before this migration counted reasons in events: void them (migrations/0006).
UPDATE sites SET data_version = data_version + 1;
