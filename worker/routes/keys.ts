/** `POST/GET/DELETE /v1/sites/:site/keys[/:id]`: secret keys, shown once at creation (DESIGN §5). */
import { Hono } from 'hono'
import { auditRevokeStatement, auditStatement } from '../db/audit'
import { findLiveKey, listKeys, newKey, revokeKeyStatement } from '../db/keys'
import type { AppEnv } from '../env'
import { forgetKey } from '../ingest/site-cache'
import { ApiError } from '../lib/errors'
import { requireRole } from '../middleware/auth'
import { validJson } from '../middleware/valid'
import { CreateKeySchema } from '../schemas'

const keys = new Hono<AppEnv>()
  .use('*', requireRole('admin'))
  .post('/', validJson(CreateKeySchema), async (c) => {
    const siteId = c.req.param('site')!
    const body = c.req.valid('json')
    const created = await newKey(c.env.DB, siteId, body.role, body.name)
    await c.env.DB.batch([
      created.statement,
      auditStatement(c.env.DB, siteId, c.get('key').id, 'key.create', {
        id: created.info.id,
        role: body.role,
      }),
    ])
    return c.json({ ...created.info, key: created.key }, 201)
  })
  .get('/', async (c) => c.json({ keys: await listKeys(c.env.DB, c.req.param('site')!) }))
  .delete('/:id', async (c) => {
    const siteId = c.req.param('site')!
    const id = c.req.param('id')
    if (!(await findLiveKey(c.env.DB, siteId, id))) {
      throw new ApiError(404, 'not_found', `No live key "${id}" on this site`)
    }
    const at = Date.now()
    const [result] = await c.env.DB.batch([
      revokeKeyStatement(c.env.DB, siteId, id, at),
      auditRevokeStatement(c.env.DB, siteId, c.get('key').id, id, at),
    ])
    if (!result.meta.changes) {
      throw new ApiError(409, 'last_admin_key', 'This is the last admin key; create another first')
    }
    forgetKey(id)
    return c.json({ id, revoked: true })
  })

export default keys
