-- The first day each user was active (DESIGN §7.5), kept next to rollup_user_days (0003) by
-- worker/rollups/user-days.ts: retention cohorts read new users of a period straight from
-- (site_id, first_day) instead of grouping every active user's history. A rebuild only ever
-- moves first_day earlier, so it is idempotent. tier and device are those of the user's latest
-- event that carried one on first_day (NULL if none did).
CREATE TABLE user_first_seen (
  site_id    TEXT NOT NULL,
  uid        TEXT NOT NULL,
  first_day  TEXT NOT NULL,
  tier       TEXT,
  device     TEXT,
  PRIMARY KEY (site_id, uid)
) WITHOUT ROWID;
CREATE INDEX user_first_seen_day ON user_first_seen (site_id, first_day);
