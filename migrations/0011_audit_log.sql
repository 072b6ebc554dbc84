-- The audit log (DESIGN §10) is append-only: no statement may change a row, and a row may go
-- only once it is older than its site's `audit_retention_days` (config; 2,555 by default,
-- never below 365), which is what the cron purge deletes (worker/db/audit.ts). A key that can
-- run SQL on D1 can still drop the triggers; an API key cannot reach either.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_kept BEFORE DELETE ON audit_log
WHEN old.at > unixepoch() * 1000 - 86400000 * coalesce(
  (SELECT json_extract(config, '$.audit_retention_days') FROM site_config
   WHERE site_id = old.site_id),
  2555)
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows are kept for the site''s audit_retention_days');
END;

-- GET /v1/sites/:site/audit?action=…: newest first within one action.
CREATE INDEX audit_log_site_action_at ON audit_log (site_id, action, at);
