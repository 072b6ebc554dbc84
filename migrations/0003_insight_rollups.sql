-- Daily rollups behind feature value, drop-offs, opportunities and the dashboard (DESIGN §7.1,
-- §7.6, §7.7, §8). Each table holds one row per (site, day, …, user), rebuilt for one
-- (site, day) at a time from raw events by worker/rollups, so a 90-day view reads these and not
-- `events`. Keeping the user in the key lets a period count distinct users exactly. A missing
-- tier or device is stored as 'unknown' and a missing uid as '' so that they can sit in a key.

-- Activity: active users, sessions, events, revenue, and first/last active day for retention.
-- A row with events = 0 is a user who only paid that day.
CREATE TABLE rollup_user_days (
  site_id   TEXT NOT NULL,
  day       TEXT NOT NULL, -- YYYY-MM-DD, UTC
  tier      TEXT NOT NULL,
  device    TEXT NOT NULL,
  uid       TEXT NOT NULL,
  events          INTEGER NOT NULL, -- events other than `revenue`: the person was active
  sessions        INTEGER NOT NULL, -- distinct sid that day
  revenue_events  INTEGER NOT NULL, -- `revenue` events, sent by the bank's backend
  revenue         REAL NOT NULL,    -- sum of their values
  PRIMARY KEY (site_id, day, tier, device, uid)
) WITHOUT ROWID;

-- Feature use: `feature`, `feedback` and `revenue` events that name a feature.
CREATE TABLE rollup_feature_days (
  site_id     TEXT NOT NULL,
  day         TEXT NOT NULL,
  tier        TEXT NOT NULL,
  device      TEXT NOT NULL,
  feature     TEXT NOT NULL,
  uid         TEXT NOT NULL,
  uses        INTEGER NOT NULL, -- feature events other than status 'started'
  starts      INTEGER NOT NULL, -- feature events with status 'started'
  completed   INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  abandoned   INTEGER NOT NULL,
  time_s      REAL NOT NULL,    -- sum of feature event values (seconds spent)
  timed       INTEGER NOT NULL, -- feature events that carried a value
  ratings     INTEGER NOT NULL, -- feedback events
  rating_sum  REAL NOT NULL,
  revenue     REAL NOT NULL,    -- revenue events attributed to the feature
  PRIMARY KEY (site_id, day, tier, device, feature, uid)
) WITHOUT ROWID;

-- Why feature uses failed or were abandoned.
CREATE TABLE rollup_feature_reasons (
  site_id  TEXT NOT NULL,
  day      TEXT NOT NULL,
  tier     TEXT NOT NULL,
  device   TEXT NOT NULL,
  feature  TEXT NOT NULL,
  reason   TEXT NOT NULL, -- 'unknown' when the event gave none
  events   INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, tier, device, feature, reason)
) WITHOUT ROWID;

-- Bank connections per institution and user.
CREATE TABLE rollup_connection_days (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,
  institution  TEXT NOT NULL,
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  uid          TEXT NOT NULL,
  attempts     INTEGER NOT NULL, -- events with an outcome: completed, failed or abandoned
  completed    INTEGER NOT NULL,
  failed       INTEGER NOT NULL,
  abandoned    INTEGER NOT NULL,
  latency_sum  REAL NOT NULL, -- ms
  latency_n    INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, institution, tier, device, uid)
) WITHOUT ROWID;
