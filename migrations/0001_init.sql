-- Stepwise schema, forward only. DESIGN §3 (events) and §5 (sites, keys, config).

CREATE TABLE sites (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  -- The public ingest key is published in page source, so it is kept in clear to identify
  -- the site; secret keys live hashed in api_keys.
  public_key  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  site_id     TEXT NOT NULL REFERENCES sites (id),
  role        TEXT NOT NULL CHECK (role IN ('ingest', 'read', 'admin')),
  hash        TEXT NOT NULL UNIQUE, -- hex SHA-256 of the whole key; the key is shown once
  prefix      TEXT NOT NULL,        -- first characters, so a person can tell keys apart
  name        TEXT,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX api_keys_site ON api_keys (site_id);

CREATE TABLE site_config (
  site_id     TEXT PRIMARY KEY REFERENCES sites (id),
  config      TEXT NOT NULL, -- JSON, validated by SiteConfigSchema
  updated_at  INTEGER NOT NULL
);

-- One row per event; (site_id, id) is the dedupe key, so a resent event is stored once.
-- WITHOUT ROWID makes the primary key the table itself: one b-tree write per event plus one
-- per secondary index, which keeps D1's rows_written at 3 per event.
CREATE TABLE events (
  site_id      TEXT NOT NULL,
  id           TEXT NOT NULL,
  type         TEXT NOT NULL,
  ts           INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  uid          TEXT,
  sid          TEXT,
  tier         TEXT,
  feature      TEXT,
  workflow     TEXT,
  run          TEXT,
  step         TEXT,
  status       TEXT,
  reason       TEXT,
  stage        TEXT,
  journey      TEXT,
  name         TEXT,
  value        REAL,
  currency     TEXT,
  institution  TEXT,
  path         TEXT,
  props        TEXT,
  device       TEXT,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;
-- Time-range scans of one event type (workflows, funnels, journeys, connections).
CREATE INDEX events_site_type_ts ON events (site_id, type, ts);
-- One user's events in order (paths, retention, erasure).
CREATE INDEX events_site_uid_ts ON events (site_id, uid, ts);

-- Per-site, per-day counts of what the collector changed or refused (DESIGN §3).
CREATE TABLE site_counters (
  site_id          TEXT NOT NULL,
  day              TEXT NOT NULL, -- YYYY-MM-DD, UTC
  redactions       INTEGER NOT NULL DEFAULT 0,
  bots_dropped     INTEGER NOT NULL DEFAULT 0,
  rejected_events  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
) WITHOUT ROWID;

-- Queue messages that failed every retry, kept for a person to inspect and replay.
CREATE TABLE dead_letters (
  id           INTEGER PRIMARY KEY,
  queue        TEXT NOT NULL,
  body         TEXT NOT NULL,
  received_at  INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  site_id  TEXT NOT NULL,
  key_id   TEXT,
  action   TEXT NOT NULL,
  details  TEXT,
  at       INTEGER NOT NULL
);
CREATE INDEX audit_log_site_at ON audit_log (site_id, at);
