-- Requests to a site's routes refused because the key was missing, unknown, revoked or another
-- site's, per day (issue 12): a key being guessed shows here. Counted only for sites that exist.
ALTER TABLE site_counters ADD COLUMN auth_failures INTEGER NOT NULL DEFAULT 0;
