/**
 * The Stepwise Worker: the Hono app for HTTP, the queue consumer, and the cron jobs.
 * Static assets (dashboard, tracker, demo page) are served before this runs (wrangler.toml).
 */
import { Hono } from 'hono'
import type { AppEnv, Env } from './env'
import { consume } from './ingest/consumer'
import { ApiError } from './lib/errors'
import admin from './routes/admin'
import events from './routes/events'
import keys from './routes/keys'
import siteConfig from './routes/site-config'
import whoami from './routes/whoami'
import { runScheduled } from './scheduled'

const app = new Hono<AppEnv>()
  .get('/v1/health', (c) => c.json({ ok: true }))
  .route('/v1/events', events)
  .route('/v1/admin', admin)
  .route('/v1/whoami', whoami)
  .route('/v1/sites/:site/config', siteConfig)
  .route('/v1/sites/:site/keys', keys)

app.notFound((c) =>
  c.json(
    { error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } },
    404,
  ),
)

app.onError((err, c) => {
  if (err instanceof ApiError) {
    const body = {
      error: {
        code: err.code,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      },
    }
    return c.json(body, err.status, err.headers)
  }
  // Anything else is a bug: log it, and answer without internals.
  console.error(`${c.req.method} ${c.req.path} failed`, err)
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500)
})

export type AppType = typeof app

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: Env) => consume(batch, env),
  scheduled: (controller: ScheduledController, env: Env, ctx: ExecutionContext) =>
    ctx.waitUntil(runScheduled(controller, env)),
} satisfies ExportedHandler<Env>
