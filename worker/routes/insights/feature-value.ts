/** `GET /v1/sites/:site/features/value` (DESIGN §7.1): feature value by tier. */
import { Hono } from 'hono'
import { AnalysisQuerySchema } from '../../analysis/period'
import type { AppEnv } from '../../env'
import { parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { loadFeatureValue } from './load'
import { insightRequest, periodOf } from './request'

const QuerySchema = AnalysisQuerySchema

const featureValue = new Hono<AppEnv>()

featureValue.get('/', requireRole('read'), async (c) => {
  const r = await insightRequest(c, parse(QuerySchema, c.req.query(), 'query'))
  const { weights, tiers } = await loadFeatureValue(r)
  return c.json({ period: periodOf(r), weights, tiers })
})

export default featureValue
