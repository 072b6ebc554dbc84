/**
 * `GET /v1/whoami`: which site and role a secret key has, so the dashboard can sign in with a
 * key alone. A key names no site: it is looked up in every shard at once (db/shards.ts).
 */
import { Hono } from 'hono'
import { findKey } from '../db/keys'
import { findInShards, shardFor } from '../db/shards'
import { findSite } from '../db/sites'
import type { AppEnv } from '../env'
import { ApiError } from '../lib/errors'
import { bearer } from '../middleware/auth'

const whoami = new Hono<AppEnv>().get('/', async (c) => {
  const token = bearer(c.req.header('authorization'))
  const key = token
    ? await findInShards(
        c.env,
        (db) => findKey(db, token),
        (k) => k.site_id,
      )
    : null
  if (!key) throw new ApiError(401, 'unauthorized', 'This key is unknown or has been revoked')
  const site = await findSite(shardFor(c.env, key.site_id), key.site_id)
  return c.json({
    key: { id: key.id, role: key.role },
    site: { id: key.site_id, name: site?.name ?? key.site_id },
  })
})

export default whoami
