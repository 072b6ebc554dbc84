-- Days whose rollups are out of date: the consumer marks (site, day) for every stored batch,
-- cron rebuilds those days from raw events and clears the mark. A rebuild replaces the day's
-- rollup rows, so replayed batches and late events can never count twice.
CREATE TABLE rollup_dirty (
  site_id  TEXT NOT NULL,
  day      TEXT NOT NULL, -- YYYY-MM-DD, UTC, of the events' ts
  PRIMARY KEY (site_id, day)
) WITHOUT ROWID;
