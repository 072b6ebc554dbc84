/** The rollups behind feature value, drop-offs, opportunities and the dashboard (0003). */
import { connectionDays } from './connection-days'
import { featureDays } from './feature-days'
import type { Rollup } from './index'
import { userDays } from './user-days'

export const INSIGHT_ROLLUPS: Rollup[] = [userDays, featureDays, connectionDays]
