-- Identify links the anonymous history (issue 14): an `identify` event that carries the id the
-- browser used before sign-in (props.anon_id) links it to the pseudonymous uid, and every
-- analysis that groups by user reads that anonymous id's events as the uid's. Merge forward
-- only: an anonymous id links to one uid (the first identify wins), and an id that is itself
-- identified, or linked, is never linked again, so two identified users are never merged.
CREATE TABLE user_aliases (
  site_id  TEXT NOT NULL,
  anon_id  TEXT NOT NULL,
  uid      TEXT NOT NULL,
  ts       INTEGER NOT NULL, -- the identify event's ts (ms)
  PRIMARY KEY (site_id, anon_id)
) WITHOUT ROWID;

-- Erasing a uid finds its anonymous ids.
CREATE INDEX user_aliases_uid ON user_aliases (site_id, uid);
