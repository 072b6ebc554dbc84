-- /performance computed cold (issue 13 §2): its latency histograms as plain rows, and the
-- users of each institution and feature read in their grouping's order.
--
-- rollup_perf_buckets: the value buckets of rollup_perf_days.hist (migrations/0008), one row
-- per (day, kind, bucket, key) with the bucket's count and sum, written by the perf rollup's
-- rebuild beside `hist` (worker/rollups/perf.ts). /performance merged the period's buckets with
-- json_each over `hist`, ~1 µs an entry (216 + 101 ms of 566 at 1 M events, 90 d); summed rows
-- take a tenth of that. The key runs day, kind, bucket first, so the daily latency series
-- (per day and bucket) streams its groups from the primary key without a sort. Connections'
-- and metrics' values only: feature values are not kept (as in `hist`).
CREATE TABLE rollup_perf_buckets (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,    -- YYYY-MM-DD, UTC
  kind         TEXT NOT NULL,    -- connection | metric
  bucket       INTEGER NOT NULL, -- the value's lower bound at two significant digits
  institution  TEXT NOT NULL,
  feature      TEXT NOT NULL,
  operation    TEXT NOT NULL,
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  value_n      INTEGER NOT NULL, -- values in the bucket
  value_sum    REAL NOT NULL,    -- their sum
  PRIMARY KEY (site_id, day, kind, bucket, institution, feature, operation, tier, device)
) WITHOUT ROWID;

-- Existing days: their buckets are those `hist` holds, so no day needs a rebuild.
INSERT OR IGNORE INTO rollup_perf_buckets (site_id, day, kind, bucket, institution, feature,
  operation, tier, device, value_n, value_sum)
SELECT r.site_id, r.day, r.kind, CAST(j.key AS INTEGER), r.institution, r.feature, r.operation,
  r.tier, r.device, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
FROM rollup_perf_days r, json_each(r.hist) j
WHERE r.hist IS NOT NULL AND r.kind <> 'feature';

-- The period's buckets per (kind, institution, feature, operation), summed in this order
-- without a sort (a sort costs D1 ~1.5 µs a row, reading one ~0.2). Not leading with the day, a
-- period skips the site's other days at a fraction of that.
CREATE INDEX IF NOT EXISTS rollup_perf_buckets_key ON rollup_perf_buckets (
  site_id, kind, institution, feature, operation, bucket, day, value_n, value_sum
);

-- /performance's users (worker/db/insights/performance.ts segmentsSql): each user's activity
-- grouped by uid, read in that order with the columns the statement sums (the primary key's
-- tier and device are in every index too). rollup_user_days_uid (0004) is this index's prefix:
-- the reads that name it could use this one. Institutions' users stream from
-- rollup_connection_days_grouped (0022).
CREATE INDEX IF NOT EXISTS rollup_user_days_activity ON rollup_user_days (
  site_id, uid, day, events, sessions, revenue
);
