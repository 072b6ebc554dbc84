/**
 * The smallest possible Hono + D1 ingest, the yardstick `npm run bench -- ingest` holds
 * Stepwise's end-to-end rate against (issue 13 §3): no key, no validation, no PII guard, no
 * queue, no outbox. The same events table (Stepwise's migrations) and one json_each insert per
 * batch, so what remains between the two is the work Stepwise adds.
 */
import { Hono } from 'hono'
import { insertEventStatements } from '../../worker/db/events'
import type { EventRow } from '../../worker/schemas'

const app = new Hono<{ Bindings: { DB: D1Database } }>()

app.post('/v1/events', async (c) => {
  const { events } = (await c.req.json()) as { events: Record<string, unknown>[] }
  const now = Date.now()
  const rows = events.map(({ props, ...e }) => ({
    ...e,
    site_id: 'minimal',
    received_at: now,
    props: JSON.stringify(props ?? {}),
  })) as EventRow[]
  await c.env.DB.batch(insertEventStatements(c.env.DB, rows, 'client'))
  return c.body(null, 202)
})

app.get('/v1/health', (c) => c.text('ok'))

export default app
