/**
 * Guards every `/v1/sites/:site/*` route: a live secret key (401 otherwise) that belongs to
 * that site and carries the role (403 otherwise). `admin` includes `read`; `ingest` reads
 * nothing. The key is then rate limited on API_LIMIT. A missing, unknown or other site's key is
 * counted against the site (`auth_failures`); the client limit came before (client-limit.ts).
 */
import { createMiddleware } from 'hono/factory'
import { addAuthFailure } from '../db/counters'
import { findKey } from '../db/keys'
import type { ApiKey, AppEnv } from '../env'
import { utcDay } from '../ingest/store'
import { ApiError } from '../lib/errors'
import { enforceLimit } from './rate-limit'

const GRANTS: Record<ApiKey['role'], ApiKey['role'][]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ['admin', 'read'],
}

export function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

export function requireRole(role: 'read' | 'admin') {
  return createMiddleware<AppEnv>(async (c, next) => {
    const siteId = c.req.param('site')!
    const token = bearer(c.req.header('authorization'))
    const key = token ? await findKey(c.env.DB, token) : null
    if (!key || key.site_id !== siteId) {
      await addAuthFailure(c.env.DB, siteId, utcDay(Date.now()))
      if (!token) throw new ApiError(401, 'unauthorized', 'Send a key: Authorization: Bearer sk_…')
      if (!key) throw new ApiError(401, 'unauthorized', 'This key is unknown or has been revoked')
      throw new ApiError(403, 'forbidden', 'This key belongs to another site')
    }
    if (!GRANTS[key.role].includes(role)) {
      throw new ApiError(
        403,
        'forbidden',
        `This needs a key with the "${role}" role; this one is "${key.role}"`,
      )
    }
    await enforceLimit(c.env.API_LIMIT, key.id)
    c.set('key', key)
    await next()
  })
}
