/**
 * `GET /v1/sites/:site/opportunities` (DESIGN §7.7): detected, explained, ranked by priority;
 * the total counts each lost user once, and every ROI states its cost assumptions (§7.9).
 */
import { Hono } from 'hono'
import { opportunityAnswer } from '../../analysis/opportunities/answer'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { loadOpportunities } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery, withLimit } from './request'

export const QuerySchema = storedQuery(withLimit(20, 100))

const opportunities = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, async () => {
      const { opportunities: list, truncated } = await loadOpportunities(r)
      return { period: periodOf(r), truncated, ...opportunityAnswer(list, r.config, q.limit) }
    })
  },
)

export default opportunities
