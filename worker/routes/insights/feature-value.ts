/** `GET /v1/sites/:site/features/value` (DESIGN §7.1): feature value by tier. */
import { Hono } from 'hono'
import { AnalysisQuerySchema } from '../../analysis/period'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { loadFeatureValue } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery } from './request'

export const QuerySchema = storedQuery(AnalysisQuerySchema)

const featureValue = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, async () => {
      const { weights, tiers } = await loadFeatureValue(r)
      return { period: periodOf(r), weights, tiers }
    })
  },
)

export default featureValue
