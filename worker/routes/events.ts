/**
 * `POST /v1/events`: the collector (DESIGN §3, §5). Validates the envelope (400 if it is not
 * a batch), authenticates by public key + origin or by secret ingest key, rate limits, drops
 * bots, judges each event alone, and hands the good ones over: a page's to the queue (through
 * the outbox), a backend's straight to D1 (ingest/store.ts `dispatch`).
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../env'
import { envForSite } from '../db/shards'
import { deviceOf, isBot } from '../ingest/user-agent'
import { keyForIngest, siteForId, siteForPublicKey } from '../ingest/site-cache'
import { dispatch, utcDay } from '../ingest/store'
import { validateEvents } from '../ingest/validate'
import { ApiError, parse } from '../lib/errors'
import { sha256Hex } from '../lib/crypto'
import { bearer } from '../middleware/auth'
import { enforceLimit } from '../middleware/rate-limit'
import { BatchSchema, CLIENT_EVENT_TYPES, EVENT_TYPES, type IngestResponse } from '../schemas'

export const MAX_BODY_BYTES = 64 * 1024

const events = new Hono<AppEnv>()
  /**
   * CORS names one origin, never `*`: the caller's, once its site is known to allow it (set
   * below), so the tracker can read a 400 or 429 — and a 429's Retry-After — and back off.
   */
  .use('*', async (c, next) => {
    await next()
    c.res.headers.append('Vary', 'Origin')
    const origin = c.get('allowedOrigin')
    if (!origin) return
    c.res.headers.set('Access-Control-Allow-Origin', origin)
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After')
  })
  /**
   * A preflight carries no body, so no site: it may go ahead from any origin, and the POST
   * itself is refused (without CORS headers) unless its site allows the origin.
   */
  .options('/', (c) =>
    c.body(null, 204, {
      'Access-Control-Allow-Origin': c.req.header('origin') ?? '*',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Max-Age': '86400',
    }),
  )
  .post(
    '/',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'body_too_large', `A batch may be at most ${MAX_BODY_BYTES} bytes`)
      },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? ''
      if (!/^(text\/plain|application\/json)\s*(;|$)/i.test(type)) {
        throw new ApiError(
          415,
          'unsupported_media_type',
          'Send the batch as text/plain or application/json',
        )
      }
      let json: unknown
      try {
        json = JSON.parse(await c.req.text())
      } catch {
        throw new ApiError(400, 'invalid_json', 'The body is not valid JSON')
      }
      const batch = parse(BatchSchema, json)
      const now = Date.now()
      const token = bearer(c.req.header('authorization'))
      const ua = c.req.header('user-agent')

      let site, limitKey: string, allowedTypes
      if (token) {
        const key = await keyForIngest(c.env, token)
        if (!key) throw new ApiError(401, 'unauthorized', 'This key is unknown or has been revoked')
        if (key.role !== 'ingest') {
          throw new ApiError(
            403,
            'forbidden',
            `Sending events needs an "ingest" key; this one is "${key.role}"`,
          )
        }
        site = await siteForId(c.env, key.site_id)
        if (!site) throw new ApiError(401, 'unauthorized', 'This key belongs to no site')
        if (batch.site && batch.site !== site.site.public_key) {
          throw new ApiError(403, 'forbidden', '"site" names another site than the key')
        }
        limitKey = `key:${key.id}`
        allowedTypes = EVENT_TYPES
      } else {
        if (!batch.site)
          throw new ApiError(
            401,
            'unauthorized',
            'Name the site ("site": "pk_…") or send a secret ingest key',
          )
        site = await siteForPublicKey(c.env, batch.site)
        if (!site)
          throw new ApiError(
            401,
            'unauthorized',
            `"${batch.site.slice(0, 40)}" is not a site's public key`,
          )
        const origin = c.req.header('origin')
        if (!origin || !site.config.allowed_origins.includes(origin)) {
          throw new ApiError(
            403,
            'origin_not_allowed',
            `Origin ${origin ?? '(none)'} is not in this site's allowed_origins`,
          )
        }
        c.set('allowedOrigin', origin)
        // The client address only keys the limiter (hashed, never stored), so one noisy
        // browser cannot spend a whole site's budget.
        const client = await sha256Hex(c.req.header('cf-connecting-ip') ?? '')
        limitKey = `site:${site.site.id}:${client.slice(0, 16)}`
        allowedTypes = CLIENT_EVENT_TYPES
      }
      await enforceLimit(c.env.INGEST_LIMIT, limitKey)

      const siteId = site.site.id
      // The site's shard from here on: its events, counts and outbox rows live there alone.
      const env = envForSite(c.env, siteId)
      const day = utcDay(now)
      if (!token && isBot(ua)) {
        await dispatch(env, {
          site_id: siteId,
          day,
          source: 'client',
          rows: [],
          counts: { bots_dropped: batch.events.length },
        })
        return c.json({ accepted: 0, duplicates: 0, rejected: [] } satisfies IngestResponse, 202)
      }

      const { rows, rejected, redactions } = validateEvents(batch.events, {
        siteId,
        now,
        allowedTypes,
        features: site.config.features,
        currency: site.config.currency,
        device: token ? undefined : deviceOf(ua),
      })
      const counts =
        redactions || rejected.length ? { redactions, rejected_events: rejected.length } : undefined
      // A beacon's page is gone before we answer; waitUntil keeps the hand-off alive even if the
      // client disconnects. A backend's batch is stored before the answer, so its counts are exact.
      const source = token ? 'server' : 'client'
      const handOff = dispatch(env, { site_id: siteId, day, source, rows, counts })
      c.executionCtx.waitUntil(handOff)
      const stored = await handOff
      if (!rows.length) {
        throw new ApiError(400, 'invalid_events', `All ${rejected.length} events were rejected`, {
          rejected,
        })
      }
      const duplicates = stored === null ? null : rows.length - stored
      return c.json(
        { accepted: stored ?? rows.length, duplicates, rejected } satisfies IngestResponse,
        202,
      )
    },
  )

export default events
