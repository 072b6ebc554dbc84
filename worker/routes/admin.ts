/**
 * Operator calls with the ADMIN_TOKEN: `POST /v1/admin/sites` creates a site with its public
 * key and first admin key (DESIGN §5) in the shard SITE_SHARDS names for it (db/shards.ts);
 * `POST /v1/admin/jobs/run` runs the cron jobs now, over every shard.
 */
import { Hono } from 'hono'
import { auditStatement } from '../db/audit'
import { newKey } from '../db/keys'
import { allShards, shardFor } from '../db/shards'
import { findSite, insertSiteStatements } from '../db/sites'
import type { AppEnv } from '../env'
import { randomToken, safeEqual } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { bearer } from '../middleware/auth'
import { validJson } from '../middleware/valid'
import { CreateSiteSchema, SiteConfigSchema } from '../schemas'
import { runJobs } from '../scheduled'

const admin = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    const token = bearer(c.req.header('authorization'))
    if (!c.env.ADMIN_TOKEN)
      throw new ApiError(403, 'forbidden', 'ADMIN_TOKEN is not set on this Worker')
    if (!token || !(await safeEqual(token, c.env.ADMIN_TOKEN))) {
      throw new ApiError(401, 'unauthorized', 'Send the ADMIN_TOKEN: Authorization: Bearer …')
    }
    await next()
  })
  .post('/sites', validJson(CreateSiteSchema), async (c) => {
    const body = c.req.valid('json')
    const id =
      body.id ??
      `site-${randomToken(9)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0')}`
    // Any shard: a moved site's copy left in its old shard still holds the id (docs/scaling.md).
    const found = await Promise.all(allShards(c.env).map((s) => findSite(s.db, id)))
    if (found.some(Boolean)) throw new ApiError(409, 'site_exists', `A site "${id}" exists already`)
    const db = shardFor(c.env, id)
    const site = {
      id,
      name: body.name,
      public_key: `pk_${randomToken(18)}`,
      created_at: Date.now(),
    }
    const config = SiteConfigSchema.parse({ allowed_origins: body.allowed_origins ?? [] })
    const adminKey = await newKey(db, id, 'admin', 'first admin key')
    await db.batch([
      ...insertSiteStatements(db, site, config),
      adminKey.statement,
      auditStatement(db, id, null, 'site.create', { name: body.name }),
    ])
    return c.json(
      {
        site: { id, name: site.name, created_at: new Date(site.created_at).toISOString() },
        public_key: site.public_key,
        admin_key: { ...adminKey.info, key: adminKey.key },
        config,
      },
      201,
    )
  })

  /**
   * Cron runs the jobs every minute (rollups, alerts, webhooks, purge). This runs them on demand: after a
   * backfill, and under `wrangler dev` 4.86, whose local cron cannot call a Worker that has
   * static assets (workers-sdk#9882), so `npm start` calls it every minute instead.
   */
  .post('/jobs/run', async (c) => c.json(await runJobs(c.env)))

export default admin
