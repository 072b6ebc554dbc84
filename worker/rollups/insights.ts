/** The rollups behind feature value, drop-offs, opportunities and the dashboard (0003). */
import { connectionDays } from './connection-days'
import { featureDays } from './feature-days'
import type { Rollup } from './index'
import { userDays } from './user-days'

export const INSIGHT_ROLLUPS: Rollup[] = [userDays, featureDays, connectionDays]

/** The insight rollup tables that hold a uid. */
const PER_USER = ['rollup_user_days', 'rollup_feature_days', 'rollup_connection_days']

/**
 * For erasing one user (DESIGN §6 `DELETE /v1/sites/:site/users/:uid`): their rows hold a
 * pseudonymous id, so they go with the raw events. A rare admin action: it reads the site's
 * rollup rows rather than keeping a uid index on every table.
 */
export function eraseUserFromRollups(db: D1Database, siteId: string, uid: string) {
  return PER_USER.map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND uid = ?2`).bind(siteId, uid),
  )
}

/** For the retention purge: rollup days before `day` (YYYY-MM-DD) go with the raw events. */
export function purgeRollupsBefore(db: D1Database, siteId: string, day: string) {
  return [...PER_USER, 'rollup_feature_reasons'].map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND day < ?2`).bind(siteId, day),
  )
}
