/** `GET /v1/sites/:site/features/value` (DESIGN §7.1): feature value by tier. */
import { Hono } from 'hono'
import { AnalysisQuerySchema } from '../../analysis/period'
import type { AppEnv } from '../../env'
import { parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { loadFeatureValue } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery } from './request'

export const QuerySchema = storedQuery(AnalysisQuerySchema)

const featureValue = new Hono<AppEnv>()

featureValue.get('/', requireRole('read'), async (c) => {
  const q = parse(QuerySchema, c.req.query(), 'query')
  const r = await insightRequest(c, q)
  return storedAnswer(c, r, q, async () => {
    const { weights, tiers } = await loadFeatureValue(r)
    return { period: periodOf(r), weights, tiers }
  })
})

export default featureValue
