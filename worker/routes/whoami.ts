/** `GET /v1/whoami`: which site and role a secret key has, so the dashboard can sign in with a key alone. */
import { Hono } from 'hono'
import { findKey } from '../db/keys'
import { findSite } from '../db/sites'
import type { AppEnv } from '../env'
import { ApiError } from '../lib/errors'
import { bearer } from '../middleware/auth'

const whoami = new Hono<AppEnv>().get('/', async (c) => {
  const token = bearer(c.req.header('authorization'))
  const key = token ? await findKey(c.env.DB, token) : null
  if (!key) throw new ApiError(401, 'unauthorized', 'This key is unknown or has been revoked')
  const site = await findSite(c.env.DB, key.site_id)
  return c.json({
    key: { id: key.id, role: key.role },
    site: { id: key.site_id, name: site?.name ?? key.site_id },
  })
})

export default whoami
