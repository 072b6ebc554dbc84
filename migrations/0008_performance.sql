-- Performance monitoring (DESIGN §7.8) and alerts with webhooks (§9).
--
-- Connection, feature and metric outcomes per hour and per day (worker/rollups/perf.ts), so
-- /performance reads no raw events: one row per (site, day[, hour], kind, institution, feature,
-- operation, tier, device). `kind` is the event type; a missing institution or feature is '';
-- `operation` is a connection's `name` (default 'link'), a metric's name, '' for features.
-- `hist` is the values' histogram as JSON {"<bucket>": [count, sum], …}, a bucket being the
-- value's lower bound at two significant digits (1234 → 1200), so a percentile of any period
-- is read from the merged buckets within one bucket's width, and exactly when a bucket holds
-- equal values (docs/formulas.md §7.8). Feature values (seconds spent) are not kept here.
CREATE TABLE rollup_perf_hours (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,    -- YYYY-MM-DD, UTC
  hour         INTEGER NOT NULL, -- 0–23, UTC
  kind         TEXT NOT NULL,    -- connection | feature | metric
  institution  TEXT NOT NULL,
  feature      TEXT NOT NULL,
  operation    TEXT NOT NULL,
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  events       INTEGER NOT NULL,
  started      INTEGER NOT NULL, -- status 'started' (a feature use is every other event)
  attempts     INTEGER NOT NULL, -- with an outcome: completed, failed or abandoned
  completed    INTEGER NOT NULL,
  failed       INTEGER NOT NULL,
  abandoned    INTEGER NOT NULL,
  value_n      INTEGER NOT NULL, -- events that carried a value (latency ms, the metric's value)
  value_sum    REAL NOT NULL,
  hist         TEXT,
  PRIMARY KEY (site_id, day, hour, kind, institution, feature, operation, tier, device)
) WITHOUT ROWID;

CREATE TABLE rollup_perf_days (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,
  kind         TEXT NOT NULL,
  institution  TEXT NOT NULL,
  feature      TEXT NOT NULL,
  operation    TEXT NOT NULL,
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  events       INTEGER NOT NULL,
  started      INTEGER NOT NULL,
  attempts     INTEGER NOT NULL,
  completed    INTEGER NOT NULL,
  failed       INTEGER NOT NULL,
  abandoned    INTEGER NOT NULL,
  value_n      INTEGER NOT NULL,
  value_sum    REAL NOT NULL,
  hist         TEXT,
  PRIMARY KEY (site_id, day, kind, institution, feature, operation, tier, device)
) WITHOUT ROWID;

-- Why they failed: failed and abandoned outcomes by reason ('' when the event gave none), per
-- day. The reason's error source (user, institution, aggregator, app, unknown) is looked up
-- when read, so a change of config `error_sources` applies to every period at once.
CREATE TABLE rollup_perf_reasons (
  site_id      TEXT NOT NULL,
  day          TEXT NOT NULL,
  kind         TEXT NOT NULL,
  institution  TEXT NOT NULL,
  feature      TEXT NOT NULL,
  operation    TEXT NOT NULL,
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  status       TEXT NOT NULL, -- failed | abandoned
  reason       TEXT NOT NULL,
  events       INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, kind, institution, feature, operation, tier, device, status, reason)
) WITHOUT ROWID;

-- Each user's connection to each institution: their first and latest successful connection
-- (any operation), and the tier and device of that latest one. Sync freshness (time since the
-- latest success) and the connected users of a period read this, one row per (user,
-- institution), not every day of their history. A rebuild only moves first_ok back and
-- last_ok forward, so it is idempotent; the retention purge deletes rows whose last_ok expired.
CREATE TABLE connection_users (
  site_id      TEXT NOT NULL,
  institution  TEXT NOT NULL,
  uid          TEXT NOT NULL,
  first_ok     INTEGER NOT NULL, -- ms epoch
  last_ok      INTEGER NOT NULL, -- ms epoch
  tier         TEXT NOT NULL,
  device       TEXT NOT NULL,
  PRIMARY KEY (site_id, institution, uid)
) WITHOUT ROWID;
CREATE INDEX connection_users_uid ON connection_users (site_id, uid);

-- Alert state per (rule, series): a rule scoped to every institution ('*') has one series per
-- institution ('institution=northwind'), a site-wide rule the series ''.
CREATE TABLE alert_states (
  site_id        TEXT NOT NULL,
  rule_id        TEXT NOT NULL,
  series         TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('ok', 'pending', 'firing', 'resolved', 'no_data')),
  since          INTEGER NOT NULL, -- ms epoch of the transition into `state`
  breaches       INTEGER NOT NULL, -- consecutive evaluations past the threshold
  value          REAL,
  n              INTEGER NOT NULL,
  threshold      REAL,
  lo             REAL,             -- the value's 95% interval, for rates
  hi             REAL,
  evaluated_at   INTEGER NOT NULL,
  notified_at    INTEGER,          -- the last alert.firing message made for this series
  PRIMARY KEY (site_id, rule_id, series)
) WITHOUT ROWID;

-- Snoozes, per rule: no message is made for the rule until `until`; states still move.
CREATE TABLE alert_snoozes (
  site_id  TEXT NOT NULL,
  rule_id  TEXT NOT NULL,
  until    INTEGER NOT NULL,
  PRIMARY KEY (site_id, rule_id)
) WITHOUT ROWID;

-- A site's webhook endpoint state: the signing secret (whsec_…, shown once; kept in clear
-- because HMAC needs it), the previous one while it still signs, and whether a 410 disabled it.
CREATE TABLE site_webhooks (
  site_id          TEXT PRIMARY KEY,
  secret           TEXT NOT NULL,
  previous_secret  TEXT,
  previous_until   INTEGER,
  disabled_at      INTEGER,
  disabled_reason  TEXT,
  updated_at       INTEGER NOT NULL
);

-- One message per notification (a transition into firing or resolved, a repeat, a test). Its id
-- is the `webhook-id` every attempt sends, so a receiver can drop a duplicate. It is written in
-- the same batch as the state change that made it: a transition without its message, or the
-- other way round, cannot be stored.
CREATE TABLE webhook_messages (
  id               TEXT PRIMARY KEY, -- msg_…
  site_id          TEXT NOT NULL,
  type             TEXT NOT NULL,    -- alert.firing | alert.resolved | test
  rule_id          TEXT,
  series           TEXT,
  body             TEXT NOT NULL,    -- the JSON sent, byte for byte
  created_at       INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER          -- while pending
);
CREATE INDEX webhook_messages_due ON webhook_messages (status, next_attempt_at);
CREATE INDEX webhook_messages_site ON webhook_messages (site_id, created_at);

-- Every attempt, written before the request goes out (its outcome after): a crash mid-send
-- leaves an attempt without an outcome and the message still pending, so it is sent again with
-- the same webhook-id, never lost.
CREATE TABLE webhook_attempts (
  message_id   TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  site_id      TEXT NOT NULL,
  url          TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  status_code  INTEGER,
  error        TEXT,
  duration_ms  INTEGER,
  PRIMARY KEY (message_id, attempt)
) WITHOUT ROWID;
CREATE INDEX webhook_attempts_site ON webhook_attempts (site_id, started_at);

-- Days that already hold connection, feature or metric events get their new rollup rows.
INSERT OR IGNORE INTO rollup_dirty (site_id, day)
SELECT DISTINCT site_id, strftime('%Y-%m-%d', ts / 1000, 'unixepoch')
FROM events WHERE type IN ('connection', 'feature', 'metric');
