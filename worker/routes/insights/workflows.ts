/**
 * `GET /v1/sites/:site/workflows` and `/workflows/:name` (DESIGN §7.2). The list gives each
 * workflow's outcomes and steps; one workflow adds its common paths and breakdowns.
 */
import { Hono } from 'hono'
import { AnalysisQuerySchema } from '../../analysis/period'
import { analyzeWorkflow, summarizeWorkflow } from '../../analysis/workflows'
import type { AppEnv } from '../../env'
import { ApiError, parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { slug } from '../../schemas'
import { loadWorkflows } from './load'
import { insightRequest, periodOf } from './request'

export const QuerySchema = AnalysisQuerySchema

const workflows = new Hono<AppEnv>()
  .use('*', requireRole('read'))
  .get('/', validQuery(QuerySchema), async (c) => {
    const r = await insightRequest(c, c.req.valid('query'))
    const { workflows: list, truncated } = await loadWorkflows(r)
    return c.json({
      period: periodOf(r),
      truncated,
      workflows: list.map(({ def, runs }) => summarizeWorkflow(def, runs)),
    })
  })
  .get('/:name', validQuery(QuerySchema), async (c) => {
    const name = parse(slug, c.req.param('name'), 'path')
    const r = await insightRequest(c, c.req.valid('query'))
    const { workflows: list, truncated } = await loadWorkflows(r, name)
    if (!list.length) {
      throw new ApiError(
        404,
        'not_found',
        `No workflow "${name}": not in config and no runs in the period`,
      )
    }
    const [{ def, runs }] = list
    return c.json({ period: periodOf(r), truncated, workflow: analyzeWorkflow(def, runs) })
  })

export default workflows
