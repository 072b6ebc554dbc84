/** `GET /v1/sites/:site/dropoffs` (DESIGN §7.6): drop-off points of all seven types, worst first. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { loadDropoffs } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery, withLimit } from './request'

export const QuerySchema = storedQuery(withLimit(50, 200))

const dropoffs = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, async () => {
      const { types, points, truncated } = await loadDropoffs(r)
      return {
        period: periodOf(r),
        truncated,
        types,
        points: points.filter((p) => p.dropped > 0).slice(0, q.limit),
      }
    })
  },
)

export default dropoffs
