/**
 * Every `/v1/sites/:site/*` request reads and writes its site's shard only (db/shards.ts): the
 * request's `c.env` becomes a copy whose `DB` is that shard, before any route or key check
 * runs, so the routes' `c.env.DB` needs no change. A key of a site in another shard is not in
 * this one: it is unknown here (401), and can reach nothing of this site.
 */
import { createMiddleware } from 'hono/factory'
import { envForSite } from '../db/shards'
import type { AppEnv } from '../env'

export const siteShard = createMiddleware<AppEnv>(async (c, next) => {
  c.env = envForSite(c.env, c.req.param('site')!)
  await next()
})
