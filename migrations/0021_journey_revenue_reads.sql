-- Journeys (DESIGN §7.4) read a period's stage events and first conversions from raw events:
-- these partial indexes hold every column those reads need, in (ts, id) order, so a period is
-- one range of one index instead of a table lookup per event. Only stage and conversion rows
-- are indexed, so other events cost no extra write at ingest.
CREATE INDEX IF NOT EXISTS events_stage_trail
  ON events (site_id, type, ts, id, uid, stage, journey, tier, device) WHERE type = 'stage';
CREATE INDEX IF NOT EXISTS events_conversion_first
  ON events (site_id, type, ts, uid, name) WHERE type = 'conversion';

-- The first day of each month each user used each feature (uses + starts > 0), kept by
-- worker/rollups/feature-months.ts next to rollup_feature_days: revenue's first use per
-- feature and user in a period (DESIGN §7.9) reads a row per month instead of one per day.
CREATE TABLE rollup_feature_months (
  site_id    TEXT NOT NULL,
  month      TEXT NOT NULL, -- YYYY-MM, UTC
  feature    TEXT NOT NULL,
  uid        TEXT NOT NULL, -- never '' (no user)
  first_day  TEXT NOT NULL, -- YYYY-MM-DD
  PRIMARY KEY (site_id, month, feature, uid)
) WITHOUT ROWID;

-- Backfill from the rollup days already built (days still dirty are rebuilt into it).
INSERT INTO rollup_feature_months (site_id, month, feature, uid, first_day)
SELECT site_id, substr(day, 1, 7), feature, uid, min(day) FROM rollup_feature_days
WHERE uses + starts > 0 AND uid <> ''
GROUP BY site_id, substr(day, 1, 7), feature, uid;
