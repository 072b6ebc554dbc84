/**
 * `POST /v1/sites/:site/webhook/secret` (admin, DESIGN §9): a new `whsec_` signing secret,
 * shown this once; the one it replaces still signs for 24 hours, so a receiver can switch.
 */
import { Hono } from 'hono'
import { newWebhookSecret } from '../alerts/signing'
import { auditStatement } from '../db/audit'
import { PREVIOUS_SECRET_MS, endpoint, rotateSecretStatement } from '../db/webhooks'
import type { AppEnv } from '../env'
import { requireRole } from '../middleware/auth'

const webhook = new Hono<AppEnv>().post('/secret', requireRole('admin'), async (c) => {
  const siteId = c.req.param('site')!
  const had = await endpoint(c.env.DB, siteId)
  const secret = newWebhookSecret()
  const now = Date.now()
  await c.env.DB.batch([
    rotateSecretStatement(c.env.DB, siteId, secret, now),
    auditStatement(c.env.DB, siteId, c.get('key').id, 'webhook.secret_rotate'),
  ])
  return c.json({
    secret,
    previous_valid_until: had ? new Date(now + PREVIOUS_SECRET_MS).toISOString() : null,
  })
})

export default webhook
