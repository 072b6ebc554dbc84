import type { EventRow } from './schemas'

/** Counts the collector keeps per site and day (DESIGN §3). */
export type Counts = { redactions: number; bots_dropped: number; rejected_events: number }

/**
 * A queue message: the events of one request (split only if they would pass the queue's
 * message size limit) and the counts that request adds. One message per request, not per
 * event, keeps queue operations — which are billed — 50–100 times fewer.
 */
export type IngestMessage = {
  site_id: string
  day: string
  rows: EventRow[]
  counts?: Partial<Counts>
}

export type Env = {
  DB: D1Database
  /** Absent in a bare `wrangler dev` setup: ingest then writes straight to D1. */
  EVENTS?: Queue<IngestMessage>
  INGEST_LIMIT?: RateLimit
  API_LIMIT?: RateLimit
  ASSETS?: Fetcher
  ADMIN_TOKEN?: string
  /** "1" lets webhooks go to http(s)://localhost — local development only (DESIGN §9). */
  DEV_ALLOW_LOCAL_WEBHOOKS?: string
  /** A DNS-over-HTTPS JSON endpoint for checking webhook hosts; Cloudflare's by default. */
  DNS_RESOLVER_URL?: string
  /** Where the dashboard is served, for links in webhook messages; none if unset. */
  PUBLIC_URL?: string
}

export type ApiKey = { id: string; site_id: string; role: 'ingest' | 'read' | 'admin' }

export type AppEnv = { Bindings: Env; Variables: { key: ApiKey; allowedOrigin?: string } }
