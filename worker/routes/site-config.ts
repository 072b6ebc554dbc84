/**
 * `GET/PATCH /v1/sites/:site/config` (DESIGN §5). PATCH replaces the top-level fields it names.
 * GET also shows the site's counters of the last 30 days.
 */
import { Hono } from 'hono'
import { senderOf } from '../alerts/deliver'
import { newWebhookSecret } from '../alerts/signing'
import { checkWebhookUrl } from '../alerts/url-guard'
import { bumpDataVersionStatement } from '../db/answers'
import { auditStatement } from '../db/audit'
import { countsSince } from '../db/counters'
import { findSite, getConfig, putConfigStatement } from '../db/sites'
import { enableStatement, endpoint, rotateSecretStatement } from '../db/webhooks'
import type { AppEnv } from '../env'
import { forgetSite } from '../ingest/site-cache'
import { utcDay } from '../ingest/store'
import { ApiError, parse } from '../lib/errors'
import { requireRole } from '../middleware/auth'
import { validJson } from '../middleware/valid'
import { z } from 'zod'
import { SiteConfigSchema } from '../schemas'

/** PATCH names top-level fields to replace; the merged config is what gets validated. */
export const PatchSchema = z.record(z.string(), z.unknown())

/** The collector's and the key guard's counters are shown summed over this many UTC days. */
const COUNTER_DAYS = 30

const config = new Hono<AppEnv>()
  .get('/', requireRole('read'), async (c) => {
    const site = await findSite(c.env.DB, c.req.param('site')!)
    if (!site) throw new ApiError(404, 'not_found', 'No such site')
    const since = utcDay(Date.now() - (COUNTER_DAYS - 1) * 86_400_000)
    return c.json({
      site: { id: site.id, name: site.name },
      public_key: site.public_key,
      config: await getConfig(c.env.DB, site.id),
      counters: { days: COUNTER_DAYS, ...(await countsSince(c.env.DB, site.id, since)) },
    })
  })
  .patch('/', requireRole('admin'), validJson(PatchSchema), async (c) => {
    const siteId = c.req.param('site')!
    const site = await findSite(c.env.DB, siteId)
    if (!site) throw new ApiError(404, 'not_found', 'No such site')
    const patch = c.req.valid('json')
    // The merged whole is validated, so a PATCH can never leave an invalid config behind.
    const merged = parse(SiteConfigSchema, { ...(await getConfig(c.env.DB, siteId)), ...patch })
    const hook =
      'webhook_url' in patch ? await webhookChange(c.env, siteId, merged.webhook_url) : null
    await c.env.DB.batch([
      putConfigStatement(c.env.DB, siteId, merged),
      ...(hook?.statements ?? []),
      bumpDataVersionStatement(c.env.DB, siteId), // answers computed with the old config are void
      auditStatement(c.env.DB, siteId, c.get('key').id, 'config.update', {
        fields: Object.keys(patch),
      }),
    ])
    forgetSite(site.public_key)
    // The signing secret is shown once: here, when the first webhook_url is saved.
    return c.json({ config: merged, ...(hook?.secret ? { webhook_secret: hook.secret } : {}) })
  })

/**
 * Saving a webhook_url: it must be https to a public host (DESIGN §9; 400 naming the field
 * otherwise); saving it again re-enables an endpoint a 410 disabled; the first one gets a secret.
 */
async function webhookChange(env: AppEnv['Bindings'], siteId: string, url: string | null) {
  if (url === null) return null
  const verdict = await checkWebhookUrl(url, senderOf(env))
  if (!verdict.ok) {
    const message = `webhook_url: ${verdict.reason}`
    throw new ApiError(400, 'invalid_body', message, [
      { path: 'webhook_url', message: verdict.reason },
    ])
  }
  const now = Date.now()
  if (await endpoint(env.DB, siteId)) return { statements: [enableStatement(env.DB, siteId, now)] }
  const secret = newWebhookSecret()
  return { statements: [rotateSecretStatement(env.DB, siteId, secret, now)], secret }
}

export default config
