-- Per-user activity rollups (DESIGN §7.5, §8). Rebuilt one (site, day) at a time from raw
-- events by worker/rollups/activity.ts, so a replayed batch or a late event never counts twice.

-- One row per user per UTC day with any event except `revenue` (sent by the bank's backend,
-- so it says nothing about whether the person came back). Serves retention, active users,
-- DAU/MAU and sessions per user without touching raw events.
CREATE TABLE daily_user_activity (
  site_id   TEXT NOT NULL,
  day       TEXT NOT NULL, -- YYYY-MM-DD, UTC
  uid       TEXT NOT NULL,
  tier      TEXT,          -- the last tier the user's events carried that day
  device    TEXT,          -- the last device the user's events came from that day
  events    INTEGER NOT NULL,
  sessions  INTEGER NOT NULL, -- distinct sid
  pages     INTEGER NOT NULL, -- `page` events
  features  INTEGER NOT NULL, -- `feature` events
  first_ts  INTEGER NOT NULL,
  last_ts   INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, uid)
) WITHOUT ROWID;
-- One user's days in order: a cohort member's later activity.
CREATE INDEX daily_user_activity_uid ON daily_user_activity (site_id, uid, day);

-- The first day each user was seen, with the tier and device of that day: retention cohorts
-- read new users of a period straight from (site_id, first_day) instead of grouping every
-- active user's history. A rebuild only ever moves first_day earlier, so it is idempotent.
CREATE TABLE user_first_seen (
  site_id    TEXT NOT NULL,
  uid        TEXT NOT NULL,
  first_day  TEXT NOT NULL,
  tier       TEXT,
  device     TEXT,
  PRIMARY KEY (site_id, uid)
) WITHOUT ROWID;
CREATE INDEX user_first_seen_day ON user_first_seen (site_id, first_day);

-- Who used which feature on which day (`feature` events): "users of a feature" filters.
CREATE TABLE daily_feature_users (
  site_id  TEXT NOT NULL,
  day      TEXT NOT NULL,
  feature  TEXT NOT NULL,
  uid      TEXT NOT NULL,
  uses     INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, feature, uid)
) WITHOUT ROWID;
-- Did this user use this feature between two days (retention's feature filter).
CREATE INDEX daily_feature_users_uid ON daily_feature_users (site_id, feature, uid, day);
