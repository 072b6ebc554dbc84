/**
 * Headers on every answer of the Worker, errors and 404s included. Static assets are served
 * before the Worker runs and get the same from the `_headers` file (scripts/build.ts).
 * `/v1` answers are `no-store` unless a route says otherwise: they are read with a secret key
 * and some carry one (a new key, a webhook secret), and stored answers are kept in D1, so a
 * browser or proxy cache would only keep data where it does not belong.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  // An answer passed through from ASSETS has immutable headers: set them on a copy.
  c.res = new Response(c.res.body, c.res)
  c.res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  c.res.headers.set('X-Content-Type-Options', 'nosniff')
  // Not on ingest's answer, which carries no secret: with no-store there, Chromium's network
  // layer (seen through Playwright) lost the tracker's keepalive fetch response after a retry.
  const api = c.req.path.startsWith('/v1/') && c.req.path !== '/v1/events'
  if (api && !c.res.headers.has('Cache-Control')) {
    c.res.headers.set('Cache-Control', 'no-store')
  }
})
