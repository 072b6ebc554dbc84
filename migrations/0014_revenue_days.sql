-- Subscription state per user and day (DESIGN §7.9), rebuilt for one (site, day) at a time from
-- raw `revenue` events by worker/rollups/revenue-days.ts, so `GET /v1/sites/:site/revenue` reads
-- MRR, its movements and the eight metrics from here and not from `events`. A row exists for
-- each user with a revenue event that day. Amounts are integer cents of the site's currency
-- (hundredths of its unit), so sums are exact and the MRR movements add up to ΔMRR.
CREATE TABLE rollup_revenue_days (
  site_id         TEXT NOT NULL,
  day             TEXT NOT NULL, -- YYYY-MM-DD, UTC
  uid             TEXT NOT NULL,
  -- Tier after the day's last subscription event (else after its last revenue event).
  tier            TEXT NOT NULL,
  -- MRR after the day's last subscription event: round(value × 100), ÷ 12 for a yearly plan,
  -- 0 after subscription_cancelled. NULL when the day had only refunds or one-off charges: the
  -- MRR is then the one of the user's latest earlier row that has one.
  mrr_cents       INTEGER,
  interval        TEXT,          -- 'month' | 'year' of that event; NULL with mrr_cents
  paying          INTEGER,       -- mrr_cents > 0; NULL with mrr_cents
  charged_cents   INTEGER NOT NULL, -- every amount but refunds
  refunded_cents  INTEGER NOT NULL, -- refunds, as the positive amount given back
  started         INTEGER NOT NULL, -- subscription_started events
  renewed         INTEGER NOT NULL,
  upgraded        INTEGER NOT NULL,
  downgraded      INTEGER NOT NULL,
  cancelled       INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, uid)
) WITHOUT ROWID;

-- Feature revenue (§7.9) reads the features each upgrading user used in the 14 days before the
-- upgrade: a seek by user and day that rollup_feature_days' feature-first index cannot serve.
CREATE INDEX rollup_feature_days_user ON rollup_feature_days (site_id, uid, day, feature, uses, starts);

-- Backfill: every day that already holds revenue events is marked for cron to rebuild
-- (a one-off scan; rebuilds are idempotent).
INSERT OR IGNORE INTO rollup_dirty (site_id, day)
SELECT DISTINCT site_id, strftime('%Y-%m-%d', ts / 1000, 'unixepoch') FROM events WHERE type = 'revenue';
