/** The per-site, per-day collector counters (redactions, bots dropped, rejected events). */
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
