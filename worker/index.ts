/**
 * The Stepwise Worker: the Hono app for HTTP, the queue consumer, and the cron jobs.
 * Static assets (dashboard, tracker, demo page) are served before this runs (wrangler.toml).
 */
import { Hono } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv, Env } from './env'
import { consume } from './ingest/consumer'
import { consumeJobs, JOBS_QUEUE, scheduleJobs } from './jobs-queue'
import { ApiError } from './lib/errors'
import { clientLimit } from './middleware/client-limit'
import { siteShard } from './middleware/site-shard'
import { jsonBodies } from './middleware/json-body'
import { securityHeaders } from './middleware/security-headers'
import admin from './routes/admin'
import alerts from './routes/alerts'
import audit from './routes/compliance/audit'
import exporter from './routes/compliance/export'
import users from './routes/compliance/users'
import demo from './routes/demo'
import events from './routes/events'
import dashboard from './routes/insights/dashboard'
import dropoffs from './routes/insights/dropoffs'
import featureValue from './routes/insights/feature-value'
import forecast from './routes/insights/forecast'
import funnel from './routes/insights/funnel'
import historicalImport from './routes/import'
import journeys from './routes/insights/journeys'
import live from './routes/insights/live'
import opportunities from './routes/insights/opportunities'
import performance from './routes/insights/performance'
import retention from './routes/insights/retention'
import revenue from './routes/insights/revenue'
import revenueRecommendations from './routes/insights/revenue-recommendations'
import workflows from './routes/insights/workflows'
import keys from './routes/keys'
import atRisk from './routes/predict/at-risk'
import churnModel from './routes/predict/model-card'
import userInsights from './routes/predict/user-insights'
import reference from './routes/reference'
import siteConfig from './routes/site-config'
import webhook from './routes/webhook'
import whoami from './routes/whoami'

export const app = new Hono<AppEnv>()
  .use(securityHeaders)
  .use('/v1/*', clientLimit, jsonBodies)
  .use('/v1/sites/:site/*', siteShard)
  .get('/v1/health', (c) => c.json({ ok: true }))
  .route('/', reference)
  .route('/v1/events', events)
  .route('/v1/admin', admin)
  .route('/v1/whoami', whoami)
  .route('/v1/sites/:site/config', siteConfig)
  .route('/v1/sites/:site/keys', keys)
  .route('/v1/sites/:site/funnel', funnel)
  .route('/v1/sites/:site/journeys', journeys)
  .route('/v1/sites/:site/retention', retention)
  .route('/v1/sites/:site/features/value', featureValue)
  .route('/v1/sites/:site/workflows', workflows)
  .route('/v1/sites/:site/dropoffs', dropoffs)
  .route('/v1/sites/:site/opportunities', opportunities)
  .route('/v1/sites/:site/dashboard', dashboard)
  .route('/v1/sites/:site/live', live)
  .route('/v1/sites/:site/performance', performance)
  .route('/v1/sites/:site/revenue/recommendations', revenueRecommendations)
  .route('/v1/sites/:site/revenue', revenue)
  .route('/v1/sites/:site/forecast', forecast)
  .route('/v1/sites/:site/alerts', alerts)
  .route('/v1/sites/:site/webhook', webhook)
  .route('/v1/sites/:site/audit', audit)
  .route('/v1/sites/:site/export', exporter)
  .route('/v1/sites/:site/models/churn', churnModel)
  .route('/v1/sites/:site/users/at-risk', atRisk)
  .route('/v1/sites/:site/users', userInsights)
  .route('/v1/sites/:site/users', users)
  .route('/v1/sites/:site/import', historicalImport)
  .route('/demo', demo)

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
  // Anything else is a bug: log it, and answer without internals. The route's pattern, not the
  // path: a path may carry a uid (`/users/:uid/insights`), which logs must not hold (DESIGN §3).
  console.error(`${c.req.method} ${routePath(c, -1)} failed`, err)
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500)
})

export type AppType = typeof app

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: Env) =>
    batch.queue === JOBS_QUEUE ? consumeJobs(batch, env) : consume(batch, env),
  scheduled: (_controller: ScheduledController, env: Env, ctx: ExecutionContext) =>
    ctx.waitUntil(scheduleJobs(env)),
} satisfies ExportedHandler<Env>
