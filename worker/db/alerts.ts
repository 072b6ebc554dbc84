/** Alert states and snoozes (migrations/0008, DESIGN §9). */
import type { SeriesState } from '../alerts/transition'

export type StateRow = SeriesState & {
  rule_id: string
  series: string
  value: number | null
  n: number
  threshold: number | null
  lo: number | null
  hi: number | null
}

export async function alertStates(db: D1Database, siteId: string): Promise<StateRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM alert_states WHERE site_id = ?1 ORDER BY rule_id, series LIMIT 5000')
    .bind(siteId)
    .all<StateRow>()
  return results
}

/**
 * Writes the series' new state only if nobody evaluated it since `prevEvaluatedAt` (null: it
 * had no row): two overlapping cron runs cannot both move it, so a transition is made — and
 * told — once. The statement after it in the same batch sees `changes()` of this one.
 */
export function putStateStatement(
  db: D1Database,
  siteId: string,
  s: StateRow,
  prevEvaluatedAt: number | null,
) {
  const values = [
    siteId,
    s.rule_id,
    s.series,
    s.state,
    s.since,
    s.breaches,
    s.value,
    s.n,
    s.threshold,
    s.lo,
    s.hi,
    s.evaluated_at,
    s.notified_at,
  ]
  if (prevEvaluatedAt === null) {
    return db
      .prepare(
        `INSERT INTO alert_states (site_id, rule_id, series, state, since, breaches, value, n,
           threshold, lo, hi, evaluated_at, notified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (site_id, rule_id, series) DO NOTHING`,
      )
      .bind(...values)
  }
  return db
    .prepare(
      `UPDATE alert_states SET state = ?4, since = ?5, breaches = ?6, value = ?7, n = ?8,
         threshold = ?9, lo = ?10, hi = ?11, evaluated_at = ?12, notified_at = ?13
       WHERE site_id = ?1 AND rule_id = ?2 AND series = ?3 AND evaluated_at = ?14`,
    )
    .bind(...values, prevEvaluatedAt)
}

/**
 * Forgets the series an evaluation did not keep (`rule\nseries` keys) — a rule the config no
 * longer has, a series past the rule's cap or quiet too long — among those it read (`read`), so
 * one created meanwhile by an overlapping run stays.
 */
export function dropStatesStatement(
  db: D1Database,
  siteId: string,
  keep: string[],
  read: Map<string, unknown>,
) {
  const kept = new Set(keep)
  const gone = [...read.keys()].filter((k) => !kept.has(k))
  return db
    .prepare(
      `DELETE FROM alert_states WHERE site_id = ?1
       AND rule_id || char(10) || series IN (SELECT value FROM json_each(?2))`,
    )
    .bind(siteId, JSON.stringify(gone))
}

export async function snoozes(db: D1Database, siteId: string, now: number) {
  const { results } = await db
    .prepare('SELECT rule_id, until FROM alert_snoozes WHERE site_id = ?1 AND until > ?2')
    .bind(siteId, now)
    .all<{ rule_id: string; until: number }>()
  return new Map(results.map((r) => [r.rule_id, r.until]))
}

export function snoozeStatement(db: D1Database, siteId: string, ruleId: string, until: number) {
  return db
    .prepare(
      `INSERT INTO alert_snoozes (site_id, rule_id, until) VALUES (?1, ?2, ?3)
       ON CONFLICT (site_id, rule_id) DO UPDATE SET until = excluded.until`,
    )
    .bind(siteId, ruleId, until)
}

export function unsnoozeStatement(db: D1Database, siteId: string, ruleId: string) {
  return db
    .prepare('DELETE FROM alert_snoozes WHERE site_id = ?1 AND rule_id = ?2')
    .bind(siteId, ruleId)
}
