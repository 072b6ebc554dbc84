/**
 * `POST /v1/sites/:site/import` (admin key; DESIGN §6, §7.9): a bank moving to Stepwise brings
 * its past. The same batches and per-event judgement as `POST /v1/events`, any event type, with
 * timestamps back to the site's `retention_days` instead of 7 days. Each request is stored as
 * one D1 transaction (ingest/import-store.ts), idempotent on event id in the backend's id
 * space, and the days it touched are rebuilt by the next rollup run. Bigger than the
 * collector's: up to MAX_IMPORT_EVENTS events or MAX_IMPORT_BYTES a request.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { findSite, getConfig } from '../db/sites'
import type { AppEnv } from '../env'
import { storeImport } from '../ingest/import-store'
import { MAX_FUTURE_MS, validateEvents } from '../ingest/validate'
import { ApiError, parse } from '../lib/errors'
import { requireRole } from '../middleware/auth'
import { EVENT_TYPES, type IngestResponse } from '../schemas'

export const MAX_IMPORT_EVENTS = 5000
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
const DAY_MS = 86_400_000

/** The collector's envelope (schemas.ts BatchSchema) with room for 5,000 events. */
export const ImportBodySchema = z
  .object({
    /** The site's public key, as in a collector batch; may be left out. */
    site: z.string().max(80).optional(),
    events: z
      .array(z.unknown())
      .min(1, 'send at least 1 event')
      .max(MAX_IMPORT_EVENTS, `at most ${MAX_IMPORT_EVENTS} events a request`),
  })
  .strict()

const tooLarge = (message: string) => new ApiError(413, 'body_too_large', message)

const route = new Hono<AppEnv>().post(
  '/',
  requireRole('admin'),
  bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw tooLarge(`An import request may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`)
    },
  }),
  async (c) => {
    const siteId = c.req.param('site')!
    let json: unknown
    try {
      json = JSON.parse(await c.req.text())
    } catch {
      throw new ApiError(400, 'invalid_json', 'The body is not valid JSON')
    }
    const sent = (json as { events?: unknown } | null)?.events
    if (Array.isArray(sent) && sent.length > MAX_IMPORT_EVENTS) {
      throw tooLarge(`An import request may carry at most ${MAX_IMPORT_EVENTS} events`)
    }
    const batch = parse(ImportBodySchema, json)
    const [site, config] = await Promise.all([
      findSite(c.env.DB, siteId),
      getConfig(c.env.DB, siteId),
    ])
    if (batch.site && batch.site !== site?.public_key) {
      throw new ApiError(403, 'forbidden', '"site" names another site than the path')
    }
    const now = Date.now()
    const { rows, rejected, redactions } = validateEvents(batch.events, {
      siteId,
      now,
      allowedTypes: EVENT_TYPES,
      features: config.features,
      currency: config.currency,
      device: undefined,
      oldest: {
        ts: now - config.retention_days * DAY_MS,
        message: `ts must be within the site's retention_days (the last ${config.retention_days} days) and at most ${MAX_FUTURE_MS / 60_000} minutes ahead`,
      },
    })
    if (!rows.length) {
      throw new ApiError(400, 'invalid_events', `All ${rejected.length} events were rejected`, {
        rejected,
      })
    }
    const { stored } = await storeImport(c.env.DB, {
      siteId,
      keyId: c.get('key').id,
      now,
      rows,
      counts: { redactions, rejected_events: rejected.length },
      rejected: rejected.length,
    })
    return c.json({
      accepted: stored,
      duplicates: rows.length - stored,
      rejected,
    } satisfies IngestResponse)
  },
)

export default route
