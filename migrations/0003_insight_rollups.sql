-- Daily rollups (DESIGN §7, §8). Each table holds one row per (site, day, …, user), rebuilt for
-- one (site, day) at a time from raw events by worker/rollups, so a 90-day view reads these and
-- not `events`, and a replayed batch or a late event never counts twice. Keeping the user in
-- the key lets a period count distinct users exactly.
--
-- Tier and device are part of the key, not an attribute of the user-day: a user who changed
-- tier (or device) during a day has one row for each, so a distinct-user count by tier counts
-- them in every tier they were active in, exactly as the raw events do. The tier a user "was"
-- on a day (for retention cohorts) is the one of their latest event, read from `last_ts`.
-- A missing tier or device is stored as 'unknown' and a missing uid as '' so they can sit in a
-- key.

-- Activity: active users, sessions, events and revenue (the dashboard, feature value's
-- denominators), and each user's active days (retention, DAU/MAU). A row with events = 0 is a
-- user who only paid that day (`revenue` comes from the bank's backend, not the person).
CREATE TABLE rollup_user_days (
  site_id   TEXT NOT NULL,
  day       TEXT NOT NULL, -- YYYY-MM-DD, UTC
  uid       TEXT NOT NULL,
  tier      TEXT NOT NULL,
  device    TEXT NOT NULL,
  events          INTEGER NOT NULL, -- events other than `revenue`: the person was active
  sessions        INTEGER NOT NULL, -- distinct sid the user began that day with this tier and device
  revenue_events  INTEGER NOT NULL, -- `revenue` events
  revenue         REAL NOT NULL,    -- sum of their values
  pages           INTEGER NOT NULL, -- `page` events
  features        INTEGER NOT NULL, -- `feature` events
  first_ts        INTEGER,          -- first and last event other than `revenue`; NULL when
  last_ts         INTEGER,          -- events = 0
  PRIMARY KEY (site_id, day, uid, tier, device) -- a user's rows of a day side by side
) WITHOUT ROWID;
-- One user's days in order: a retention cohort member's later activity, whether a user is
-- still active after a retention cut. `events` makes it cover "active" (events > 0).
CREATE INDEX rollup_user_days_uid ON rollup_user_days (site_id, uid, day, events);

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
-- Did this user use this feature between two days: the "users of a feature" filters of
-- retention and journeys. `uses` and `starts` make it cover "used" (uses + starts > 0: any
-- `feature` event; a row may hold only feedback or revenue naming the feature).
CREATE INDEX rollup_feature_days_uid ON rollup_feature_days (site_id, feature, uid, day, uses, starts);

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
