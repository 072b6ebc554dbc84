/**
 * Every API call but ingest (which limits per site and client itself) is first limited per
 * client, before any key is looked up, so guessing keys — or the ADMIN_TOKEN — spends the
 * guesser's budget (CLIENT_LIMIT), not D1's. The address only keys the limiter: hashed,
 * never stored.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { sha256Hex } from '../lib/crypto'
import { enforceLimit } from './rate-limit'

export const clientLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path !== '/v1/events') {
    const client = await sha256Hex(c.req.header('cf-connecting-ip') ?? '')
    await enforceLimit(c.env.CLIENT_LIMIT, `client:${client}`)
  }
  await next()
})
