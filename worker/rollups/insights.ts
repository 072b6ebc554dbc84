/**
 * The daily rollups behind every long-period view (migrations/0003, 0004), and how their rows
 * go with the raw events: they hold pseudonymous user ids, so they must not outlive them.
 */
import { connectionDays } from './connection-days'
import { featureDays } from './feature-days'
import { featureMonths, purgeFeatureMonths } from './feature-months'
import type { Rollup } from './index'
import { perfRollup } from './perf'
import { revenueDays } from './revenue-days'
import { userDays } from './user-days'

export const INSIGHT_ROLLUPS: Rollup[] = [
  userDays,
  featureDays,
  featureMonths, // after featureDays: it reads the day's rows
  connectionDays,
  perfRollup,
  revenueDays,
]

/** The tables that hold a uid. */
const PER_USER = [
  'rollup_user_days',
  'rollup_feature_days',
  'rollup_connection_days',
  'workflow_runs', // migrations/0005, worker/rollups/workflow-runs.ts
  'rollup_revenue_days', // migrations/0014, worker/rollups/revenue-days.ts
]

/** Every rollup and model table that holds a uid, in the order eraseUserFromRollups deletes. */
export const USER_ROLLUP_TABLES = [
  ...PER_USER,
  'user_first_seen',
  'rollup_feature_months', // migrations/0021, worker/rollups/feature-months.ts
  'connection_users',
  'churn_scores', // migrations/0016, worker/predict/train.ts
]

/**
 * For erasing one user (DESIGN §6 `DELETE /v1/sites/:site/users/:uid`): their rows hold a
 * pseudonymous id, so they go with the raw events. A rare admin action: it reads the site's
 * rollup rows rather than keeping a uid index on every table.
 */
export function eraseUserFromRollups(db: D1Database, siteId: string, uid: string) {
  return USER_ROLLUP_TABLES.map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND uid = ?2`).bind(siteId, uid),
  )
}

/**
 * Users active before ?2 and never since lose their first-seen row; one still active keeps it,
 * so they are not taken for a new user. Runs before their days go, which name the candidates.
 */
export const PURGE_FIRST_SEEN = `DELETE FROM user_first_seen
WHERE site_id = ?1
  AND uid IN (SELECT uid FROM rollup_user_days
    WHERE site_id = ?1 AND day < ?2 AND uid <> '' AND events > 0)
  AND NOT EXISTS (SELECT 1 FROM rollup_user_days a
    WHERE a.site_id = ?1 AND a.uid = user_first_seen.uid AND a.day >= ?2 AND a.events > 0)`

/**
 * For the retention purge: rollup days before `day` (YYYY-MM-DD) go with the raw events.
 * One D1 batch (a transaction), in this order.
 */
export function purgeRollupsBefore(db: D1Database, siteId: string, day: string) {
  return [
    db.prepare(PURGE_FIRST_SEEN).bind(siteId, day),
    ...[...PER_USER, 'rollup_feature_reasons'].map((t) =>
      db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND day < ?2`).bind(siteId, day),
    ),
    ...purgeFeatureMonths(db, siteId, day),
  ]
}
