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
  /** Who sent the rows: the page (public key) or the bank's backend (secret ingest key). */
  source: EventSource
  rows: EventRow[]
  counts?: Partial<Counts>
  /** The message's ingest_outbox row, deleted when the rows are stored. */
  outbox?: string
}

/**
 * A message the queue carries besides events: rebuild the day's rollups if it is still dirty,
 * sent delayed by the write that marked it (worker/rollups/freshness.ts).
 */
export type RebuildMessage = { kind: 'rebuild'; site_id: string; day: string }

/** Run the cron jobs of one shard (a D1 binding's name) as of `at` (ms epoch). */
export type JobsMessage = { kind: 'jobs'; shard: string; at: number }

/** Page and backend events are deduplicated apart: each source has its own id space. */
export type EventSource = 'client' | 'server'

export type Env = {
  /** The default shard; more shards are D1 bindings named DB_<name> (db/shards.ts). */
  DB: D1Database
  /** JSON `{"site id" or "prefix*": "DB_<name>"}`: the sites that do not live in DB. */
  SITE_SHARDS?: string
  /** Absent in a bare `wrangler dev` setup: ingest then writes straight to D1. */
  EVENTS?: Queue<IngestMessage | RebuildMessage>
  /**
   * "off" skips the D1 outbox that keeps queued events safe when the queue is not durable (the
   * local one of `wrangler dev`); Cloudflare Queues keep a message once it is sent.
   */
  INGEST_OUTBOX?: string
  /**
   * Seconds from the write that marks a day dirty to its rebuild by the consumer (0–50, default
   * 30): the most an event waits for the rollups, beyond a queue batch (rollups/freshness.ts).
   */
  ROLLUP_REBUILD_DELAY_SECONDS?: string
  /** Cron's jobs, one message per shard, each run in its own invocation (worker/jobs-queue.ts). */
  JOBS?: Queue<JobsMessage>
  INGEST_LIMIT?: RateLimit
  API_LIMIT?: RateLimit
  /** Per client address, before any key is looked up (worker/middleware/client-limit.ts). */
  CLIENT_LIMIT?: RateLimit
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
