/** `GET /v1/sites/:site/opportunities` (DESIGN §7.7): detected, explained, ranked by priority. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { loadOpportunities } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery, withLimit } from './request'

export const QuerySchema = storedQuery(withLimit(20, 100))

const opportunities = new Hono<AppEnv>()

opportunities.get('/', requireRole('read'), async (c) => {
  const q = parse(QuerySchema, c.req.query(), 'query')
  const r = await insightRequest(c, q)
  return storedAnswer(c, r, q, async () => {
    const { opportunities: list, truncated } = await loadOpportunities(r)
    return { period: periodOf(r), truncated, opportunities: list.slice(0, q.limit) }
  })
})

export default opportunities
