-- Computed answers of the heaviest insight endpoints (dashboard, opportunities, drop-offs,
-- feature value, journeys), kept so that a second look at the same question does not recompute
-- it (worker/db/answers.ts). An answer is served only while it is younger than five minutes and
-- its `version` is still the site's `data_version`, which a rollup rebuild, the retention purge
-- and a config change bump. Raw events that no rebuild has reached yet do not: the age bounds
-- how long an answer can miss them. Cron deletes answers past their age.
ALTER TABLE sites ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE insight_answers (
  site_id      TEXT NOT NULL,
  key          TEXT NOT NULL,    -- SHA-256 of the route, its normalised query and the period's days
  version      INTEGER NOT NULL, -- sites.data_version when the computation began
  computed_at  INTEGER NOT NULL, -- ms epoch
  body         TEXT NOT NULL,    -- the JSON answer, as sent
  PRIMARY KEY (site_id, key)
);
CREATE INDEX insight_answers_age ON insight_answers (computed_at);
