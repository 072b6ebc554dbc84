-- Issue 12, findings 2 and 3.

-- Events from the page (public key, source 'client') and from the bank's backend (secret ingest
-- key, source 'server') get separate id spaces: the dedupe key becomes (site_id, id, source), so
-- whoever reads a page's pk_ can no longer send an event under an id the backend will use and
-- have the backend's event dropped as a duplicate. `source` follows `id` in the key, so a seek by
-- (site_id, id) still uses it. SQLite cannot change a primary key in place: the table is rebuilt
-- with every row, then its two indexes. Rows already stored get their source from `device`,
-- which ingest derives from the browser's user agent for every page event (bots without one are
-- dropped) and never sets for a backend's event.
CREATE TABLE events_by_source (
  site_id      TEXT NOT NULL,
  id           TEXT NOT NULL,
  -- A row written without one (test seeds, the demo load) is a page event.
  source       TEXT NOT NULL DEFAULT 'client' CHECK (source IN ('client', 'server')),
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
  PRIMARY KEY (site_id, id, source)
) WITHOUT ROWID;

INSERT INTO events_by_source (site_id, id, source, type, ts, received_at, uid, sid, tier, feature,
  workflow, run, step, status, reason, stage, journey, name, value, currency, institution, path,
  props, device)
SELECT site_id, id, CASE WHEN device IS NULL THEN 'server' ELSE 'client' END, type, ts,
  received_at, uid, sid, tier, feature, workflow, run, step, status, reason, stage, journey, name,
  value, currency, institution, path, props, device
FROM events;

DROP TABLE events;
ALTER TABLE events_by_source RENAME TO events;
-- As in 0001: time-range scans of one event type; one user's events in order.
CREATE INDEX events_site_type_ts ON events (site_id, type, ts);
CREATE INDEX events_site_uid_ts ON events (site_id, uid, ts);

-- The ingest outbox (docs/api.md, "What a 202 guarantees"): a request that goes through the
-- queue first writes each queue message here, one row per message (one per request, two for a
-- request past 100 KB), before answering 202. The consumer deletes a row in the same transaction
-- that stores its events; cron stores the rows the queue never delivered (the local queue keeps
-- messages in memory, so a crash of `wrangler dev` loses them). `attempts` counts failed drains:
-- a row that keeps failing goes to dead_letters.
CREATE TABLE ingest_outbox (
  id          TEXT PRIMARY KEY,
  body        TEXT NOT NULL, -- the queue message, JSON
  created_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ingest_outbox_created ON ingest_outbox (created_at);
