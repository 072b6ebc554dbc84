/**
 * Every API body but ingest's (whose rules are its own, DESIGN §3) is JSON of at most 256 KB
 * (the historical import's bound is its route's): 415 for another type, 413 past the size —
 * counted as it streams in when no Content-Length says so — before any route reads it. The
 * largest config every bound allows is about 150 KB.
 */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { ApiError } from '../lib/errors'

export const MAX_JSON_BYTES = 256 * 1024

const limit = bodyLimit({
  maxSize: MAX_JSON_BYTES,
  onError: () => {
    throw new ApiError(
      413,
      'body_too_large',
      `A request body may be at most ${MAX_JSON_BYTES / 1024} KB`,
    )
  },
})

/** The historical import is JSON too, with a bound of its own (routes/import.ts: 5 MB). */
const IMPORT_PATH = /^\/v1\/sites\/[^/]+\/import\/?$/

export const jsonBodies = createMiddleware<AppEnv>(async (c, next) => {
  const empty = !c.req.raw.body || c.req.header('content-length') === '0'
  if (empty || c.req.path === '/v1/events') return next()
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the body as JSON, with Content-Type: application/json',
    )
  }
  if (IMPORT_PATH.test(c.req.path)) return next()
  // Awaited, not returned: a returned rejection would count as unhandled for a moment.
  await limit(c, next)
})
