import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insertOutboxStatement } from '../../worker/db/outbox'
import type { Env, IngestMessage } from '../../worker/env'
import worker from '../../worker/index'
import { drainOutbox, OUTBOX_AGE_MS } from '../../worker/ingest/outbox'
import { runJobs } from '../../worker/scheduled'
import type { EventRow } from '../../worker/schemas'
import {
  BROWSER_UA,
  countEvents,
  createSite,
  event,
  ORIGIN,
  sendBatch,
  waitForEvents,
  type TestSite,
} from './helpers'

/** What the local queue does to its messages when `wrangler dev` is killed: forgets them. */
const losingQueue = { sendBatch: async () => ({}) } as unknown as Queue<IngestMessage>
const refusingQueue = {
  sendBatch: () => Promise.reject(new Error('queue unavailable')),
} as unknown as Queue<IngestMessage>

function sendThrough(site: TestSite, bindings: Partial<Env>, events: unknown[]) {
  const req = new Request('http://stepwise.test/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': BROWSER_UA },
    body: JSON.stringify({ site: site.pk, events }),
  })
  return worker.fetch(req, { ...env, ...bindings }, createExecutionContext())
}

async function outboxRows(siteId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, attempts FROM ingest_outbox WHERE json_extract(body, '$.site_id') = ?1",
  )
    .bind(siteId)
    .all<{ id: string; attempts: number }>()
  return results
}

function pageMessage(siteId: string, ids: string[]): IngestMessage {
  const now = Date.now()
  const rows = ids.map((id): EventRow => ({
    site_id: siteId,
    id,
    type: 'page',
    ts: now,
    received_at: now,
    path: '/',
  }))
  return { site_id: siteId, day: '2026-01-01', source: 'client', rows }
}

describe('the ingest outbox', () => {
  for (const [name, queue] of [
    ['loses', losingQueue],
    ['refuses', refusingQueue],
  ] as const) {
    it(`keeps a page's batch in D1 before the 202 and stores it when the queue ${name} it`, async () => {
      const site = await createSite()
      const res = await sendThrough(site, { EVENTS: queue }, [event(), event()])
      expect(res.status).toBe(202)
      expect(await res.json()).toEqual({ accepted: 2, duplicates: null, rejected: [] })
      expect(await outboxRows(site.id)).toHaveLength(1)

      // Still young: it may yet arrive through the queue.
      await runJobs(env, Date.now())
      expect(await countEvents(site.id)).toBe(0)

      const run = await runJobs(env, Date.now() + OUTBOX_AGE_MS)
      expect(run.outbox_drained).toBeGreaterThanOrEqual(1)
      expect(await countEvents(site.id)).toBe(2)
      expect(await outboxRows(site.id)).toEqual([])
    })
  }

  it('is emptied by the consumer in the transaction that stores the events', async () => {
    const site = await createSite()
    expect((await sendBatch(site, [event(), event(), event()])).status).toBe(202)
    expect(await waitForEvents(site.id, 3)).toBe(3)
    expect(await outboxRows(site.id)).toEqual([])
  })

  it('is skipped with INGEST_OUTBOX "off", for a queue that keeps what it is sent', async () => {
    const site = await createSite()
    const res = await sendThrough(site, { EVENTS: losingQueue, INGEST_OUTBOX: 'off' }, [event()])
    expect(res.status).toBe(202)
    expect(await outboxRows(site.id)).toEqual([])
  })

  it('stores the good rows and moves a row that fails five drains to dead_letters', async () => {
    const site = await createSite()
    const poison = { site_id: site.id, day: '2026-01-01', rows: 'not rows' } as never
    await env.DB.batch([
      insertOutboxStatement(env.DB, `poison-${site.id}`, poison, 0),
      insertOutboxStatement(env.DB, `good-${site.id}`, pageMessage(site.id, ['g1', 'g2']), 0),
    ])
    await drainOutbox(env.DB, Date.now(), { left: 50 })
    expect(await countEvents(site.id)).toBe(2)
    expect(await outboxRows(site.id)).toEqual([{ id: `poison-${site.id}`, attempts: 1 }])
    for (let i = 2; i <= 5; i++) await drainOutbox(env.DB, Date.now(), { left: 50 })
    expect(await outboxRows(site.id)).toEqual([])
    const dead = await env.DB.prepare(
      "SELECT queue FROM dead_letters WHERE body = ?1 AND queue = 'ingest_outbox'",
    )
      .bind(JSON.stringify(poison))
      .all()
    expect(dead.results).toEqual([{ queue: 'ingest_outbox' }])
  })

  it('drains within its query budget and goes on where it stopped', async () => {
    const site = await createSite()
    await env.DB.batch(
      Array.from({ length: 30 }, (_, i) =>
        insertOutboxStatement(env.DB, `b${i}-${site.id}`, pageMessage(site.id, [`b${i}`]), i),
      ),
    )
    const budget = { left: 6 }
    const first = await drainOutbox(env.DB, Date.now(), budget)
    expect(budget.left).toBeGreaterThanOrEqual(0)
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(30)
    while ((await outboxRows(site.id)).length) await drainOutbox(env.DB, Date.now(), { left: 12 })
    expect(await countEvents(site.id)).toBe(30)
  })

  it('takes a message that reaches the dead-letter queue out of the outbox', async () => {
    const site = await createSite()
    const body = { ...pageMessage(site.id, ['d1']), outbox: `dlq-${site.id}` }
    await env.DB.batch([insertOutboxStatement(env.DB, body.outbox, body, 0)])
    const batch = createMessageBatch('stepwise-events-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 1, body },
    ])
    await worker.queue(batch, env)
    expect((await getQueueResult(batch, createExecutionContext())).ackAll).toBe(true)
    expect(await outboxRows(site.id)).toEqual([])
  })
})
