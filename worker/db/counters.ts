/**
 * The per-site, per-day counters: what the collector changed or refused (redactions, bots
 * dropped, rejected events) and requests refused for a missing or wrong key.
 */
import type { Counts } from '../env'

const ADD_COUNTS = `INSERT INTO site_counters (site_id, day, redactions, bots_dropped, rejected_events)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (site_id, day) DO UPDATE SET
  redactions = redactions + excluded.redactions,
  bots_dropped = bots_dropped + excluded.bots_dropped,
  rejected_events = rejected_events + excluded.rejected_events`

export function addCountsStatement(
  db: D1Database,
  siteId: string,
  day: string,
  c: Partial<Counts>,
): D1PreparedStatement {
  return db
    .prepare(ADD_COUNTS)
    .bind(siteId, day, c.redactions ?? 0, c.bots_dropped ?? 0, c.rejected_events ?? 0)
}

/** Counts one refused key against a site — only one that exists, so no one can add rows. */
export async function addAuthFailure(db: D1Database, siteId: string, day: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO site_counters (site_id, day, auth_failures)
       SELECT id, ?2, 1 FROM sites WHERE id = ?1
       ON CONFLICT (site_id, day) DO UPDATE SET auth_failures = auth_failures + 1`,
    )
    .bind(siteId, day)
    .run()
}

export type SiteCounts = Counts & { auth_failures: number }

/** The counters summed from `since` (a UTC day) on; 0 where nothing was counted. */
export async function countsSince(db: D1Database, siteId: string, since: string) {
  const row = await db
    .prepare(
      `SELECT coalesce(sum(redactions), 0) AS redactions,
              coalesce(sum(bots_dropped), 0) AS bots_dropped,
              coalesce(sum(rejected_events), 0) AS rejected_events,
              coalesce(sum(auth_failures), 0) AS auth_failures
       FROM site_counters WHERE site_id = ?1 AND day >= ?2`,
    )
    .bind(siteId, since)
    .first<SiteCounts>()
  return row!
}
