/**
 * Freshness (DESIGN §11): events accepted through the real ingest route — a page's through the
 * queue, a backend's straight to D1 — show in every rollup-reading endpoint once the queue
 * consumer has rebuilt their day, with nobody calling the jobs endpoint. The rebuild message's
 * delay is 1 s here (vitest.config.ts), 30 s by default.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insertOutboxStatement } from '../../worker/db/outbox'
import type { Env, IngestMessage, RebuildMessage } from '../../worker/env'
import type { EventRow } from '../../worker/schemas'
import { DEAD_LETTER_QUEUE } from '../../worker/ingest/consumer'
import { markDaysDirtyStatement } from '../../worker/ingest/import-store'
import { OUTBOX_AGE_MS } from '../../worker/ingest/outbox'
import { storeMessages, utcDay } from '../../worker/ingest/store'
import worker from '../../worker/index'
import { INVOCATION_QUERIES, rebuildDay, rebuildStatements } from '../../worker/rollups'
import { REBUILD_QUERIES, scheduleRebuilds } from '../../worker/rollups/freshness'
import { counting } from './counting-db'
import {
  BROWSER_UA,
  call,
  countEvents,
  createKey,
  createSite,
  event,
  ORIGIN,
  revenueEvent,
  sendBatch,
  waitForEvents,
  type TestSite,
} from './helpers'
import { LINKING, getJson } from './insights/seed'

async function dirtyCount(siteId: string): Promise<number> {
  const n = await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1')
    .bind(siteId)
    .first<number>('n')
  return n!
}

/** Waits until no day of the site is dirty: the consumer has rebuilt what ingest marked. */
async function waitForRebuild(siteId: string, timeoutMs = 15_000): Promise<number> {
  const until = Date.now() + timeoutMs
  let n = await dirtyCount(siteId)
  while (n > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100))
    n = await dirtyCount(siteId)
  }
  return n
}

async function site() {
  const s = await createSite()
  const res = await call(`/v1/sites/${s.id}/config`, {
    method: 'PATCH',
    token: s.admin,
    body: { workflows: [LINKING] },
  })
  expect(res.status).toBe(200)
  return { site: s, read: await createKey(s, 'read'), ingest: await createKey(s, 'ingest') }
}

/** A minute ago: today's, unless the test runs in the first minute after midnight UTC. */
const ts = () => Date.now() - 60_000

function connections(institution: string, n: number, failed: number) {
  return Array.from({ length: n }, (_, i) =>
    event({
      type: 'connection',
      ts: ts(),
      uid: `c-${institution}-${i}`,
      tier: 'plus',
      institution,
      name: 'link',
      status: i < failed ? 'failed' : 'completed',
      value: 800,
    }),
  )
}

function uses(uid: string, status: string) {
  return [
    event({ type: 'page', ts: ts(), uid, tier: 'plus', path: '/budget' }),
    event({ type: 'feature', ts: ts(), uid, tier: 'plus', feature: 'budget_tracking', status }),
  ]
}

function linking(run: string) {
  return ['start', 'connect', 'verify', 'complete'].map((step, i) =>
    event({
      type: 'step',
      ts: ts() + i * 1000,
      uid: `u-${run}`,
      tier: 'plus',
      workflow: 'account_linking',
      run,
      step,
      status: i === 0 ? 'started' : 'completed',
    }),
  )
}

async function ingest(s: { site: TestSite; ingest: string }, page: unknown[], backend: unknown[]) {
  expect((await sendBatch(s.site, page)).status).toBe(202)
  const res = await call('/v1/events', {
    method: 'POST',
    token: s.ingest,
    body: { events: backend },
  })
  expect(res.status).toBe(202)
}

/** The figures of each endpoint the events move; the KPIs may gain fields (toMatchObject). */
async function figures(siteId: string, read: string) {
  const get = (path: string) => getJson(`/v1/sites/${siteId}/${path}`, read)
  const [dashboard, value, dropoffs, opportunities, revenue, performance, workflows] =
    await Promise.all(
      [
        'dashboard',
        'features/value',
        'dropoffs',
        'opportunities',
        'revenue?period=7d',
        'performance',
        'workflows/account_linking',
      ].map(get),
    )
  const bank = (name: string) =>
    performance.by_institution.find((i: { institution: string }) => i.institution === name)
  return {
    kpis: dashboard.kpis,
    feature_users: value.tiers.plus.features[0].unique_users,
    feature_point: dropoffs.points.find((p: { id: string }) => p.id === 'feature:budget_tracking'),
    institution: opportunities.opportunities.find((o: { kind: string }) => o.kind === 'institution')
      ?.evidence,
    mrr: revenue.mrr,
    slow_bank_attempts: bank('slow_bank')?.connection_success_rate.n,
    runs: [workflows.workflow.started, workflows.workflow.completed],
  }
}

/** Sends both kinds, waits until they are stored and until the consumer has rebuilt the day. */
async function ingestAndWait(
  s: { site: TestSite; ingest: string },
  page: unknown[],
  backend: unknown[],
  before = 0,
) {
  await ingest(s, page, backend)
  const expected = before + page.length + backend.length
  expect(await waitForEvents(s.site.id, expected)).toBe(expected)
  expect(await waitForRebuild(s.site.id)).toBe(0)
}

const FIRST = () => ({
  page: [
    ...uses('p1', 'completed'),
    ...uses('p2', 'failed'),
    ...connections('harbor_bank', 30, 0),
    ...connections('slow_bank', 25, 5),
    ...linking('r1'),
  ],
  backend: [revenueEvent('p1', ts(), 'subscription_started', 'plus', 9.99)],
})

/** What FIRST shows: 58 users (p1, p2, 55 connecting, u-r1), 63 events from the page, 1 charge. */
const FIRST_FIGURES = {
  kpis: { active_users: 58, events: 64, revenue: 9.99 },
  feature_users: 2,
  feature_point: { entered: 2, dropped: 1 },
  institution: { institution: 'slow_bank', attempts: 25, failed: 5 },
  mrr: 9.99,
  slow_bank_attempts: 25,
  runs: [1, 1],
}

/** Each ingest waits for a queue batch and a rebuild message delayed 1 s. */
describe('freshness without the jobs endpoint', { timeout: 30_000 }, () => {
  it('counts events of today in every endpoint once the consumer has rebuilt their day', async () => {
    const s = await site()
    const { page, backend } = FIRST()
    await ingestAndWait(s, page, backend)
    expect(await figures(s.site.id, s.read)).toMatchObject(FIRST_FIGURES)
  })

  it('does not serve a stored answer that misses the events stored since', async () => {
    const s = await site()
    const first = FIRST()
    await ingestAndWait(s, first.page, first.backend)
    expect(await figures(s.site.id, s.read)).toMatchObject(FIRST_FIGURES)
    const stored = await env.DB.prepare(
      'SELECT count(*) AS n FROM insight_answers WHERE site_id = ?1',
    )
      .bind(s.site.id)
      .first<number>('n')
    expect(stored).toBeGreaterThan(0) // the second ask would find them, were they not outdated

    // p3 uses the feature, 10 more slow_bank attempts fail, a second run, a second plan.
    const page = [...uses('p3', 'completed'), ...connections('slow_bank', 10, 10), ...linking('r2')]
    const backend = [revenueEvent('p2', ts(), 'subscription_started', 'plus', 19.99)]
    await ingestAndWait(s, page, backend, first.page.length + first.backend.length)
    expect(await figures(s.site.id, s.read)).toMatchObject({
      kpis: { active_users: 60, events: 81, revenue: 29.98 },
      feature_users: 3,
      feature_point: { entered: 3, dropped: 1 },
      institution: { institution: 'slow_bank', attempts: 35, failed: 15 },
      mrr: 29.98,
      slow_bank_attempts: 35,
      runs: [2, 2],
    })
  })

  it('rebuilds a still dirty day once for its rebuild messages, and acknowledges a clean one', async () => {
    const s = await site()
    const day = utcDay(ts())
    const rows = uses('p1', 'completed').map((e) => ({
      ...e,
      site_id: s.site.id,
      received_at: Date.now(),
      device: 'desktop',
    })) as EventRow[]
    // Stored as the consumer stores, without the rebuild it schedules: the day stays dirty.
    await storeMessages(env.DB, [{ site_id: s.site.id, day, source: 'client', rows }])
    expect(await dirtyCount(s.site.id)).toBe(1)
    const version = () =>
      env.DB.prepare('SELECT data_version FROM sites WHERE id = ?1')
        .bind(s.site.id)
        .first<number>('data_version')
    const before = await version()
    const body = (d: string): RebuildMessage => ({ kind: 'rebuild', site_id: s.site.id, day: d })
    const batch = createMessageBatch('stepwise-events', [
      { id: 'r0', timestamp: new Date(), attempts: 1, body: body(day) },
      { id: 'r1', timestamp: new Date(), attempts: 1, body: body(day) }, // a duplicate
      { id: 'r2', timestamp: new Date(), attempts: 1, body: body('2020-01-01') }, // not dirty
    ])
    await worker.queue(batch, env)
    const result = await getQueueResult(batch, createExecutionContext())
    expect(result.explicitAcks.sort()).toEqual(['r0', 'r1', 'r2'])
    expect(result.retryMessages).toEqual([])
    expect(await dirtyCount(s.site.id)).toBe(0)
    expect((await version())! - before!).toBe(1) // one rebuild for the two messages
    const { kpis } = await getJson(`/v1/sites/${s.site.id}/dashboard`, s.read)
    expect(kpis).toMatchObject({ active_users: 1, events: 2 })
  })

  it('rebuilds before answering when no queue is bound (the direct write)', async () => {
    const s = await site()
    const req = new Request('http://stepwise.test/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': BROWSER_UA },
      body: JSON.stringify({ site: s.site.pk, events: uses('p1', 'completed') }),
    })
    const res = await worker.fetch(req, { ...env, EVENTS: undefined }, createExecutionContext())
    expect(res.status).toBe(202)
    // No waiting: the request stored the events and rebuilt their day before its answer.
    expect(await dirtyCount(s.site.id)).toBe(0)
    const { kpis } = await getJson(`/v1/sites/${s.site.id}/dashboard`, s.read)
    expect(kpis).toMatchObject({ active_users: 1, events: 2 })
  })
})

const DAY_MS = 86_400_000

/** Rows as ingest makes them, for storeMessages and the outbox. */
function rowsOf(siteId: string, events: ReturnType<typeof event>[]): EventRow[] {
  return events.map((e) => ({
    ...e,
    site_id: siteId,
    received_at: Date.now(),
    device: 'desktop',
  })) as EventRow[]
}

function messageOf(siteId: string, rows: EventRow[]): IngestMessage {
  return { site_id: siteId, day: utcDay(rows[0].ts), source: 'client', rows }
}

/** One page event a day on each of `n` days, today first. */
function pastDays(siteId: string, n: number): EventRow[] {
  return rowsOf(
    siteId,
    Array.from({ length: n }, (_, i) => event({ ts: ts() - i * DAY_MS, uid: `d${i}` })),
  )
}

/** The real queue, recording the days each sendBatch call named and whether it took them. */
function recordingQueue() {
  const calls: { days: string[]; sent: boolean }[] = []
  const queue = {
    send: (body: unknown, options?: QueueSendOptions) => env.EVENTS!.send(body as never, options),
    sendBatch: async (messages: MessageSendRequest<RebuildMessage>[], options?: unknown) => {
      const days = messages.map((m) => m.body.day)
      try {
        await env.EVENTS!.sendBatch(messages as never, options as never)
        calls.push({ days, sent: true })
      } catch (err) {
        calls.push({ days, sent: false })
        throw err
      }
    },
  }
  return { queue: queue as unknown as NonNullable<Env['EVENTS']>, calls }
}

async function consumeNow(messages: { id: string; body: unknown }[], queue = 'stepwise-events') {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ ...m, timestamp: new Date(), attempts: 1 })),
  )
  await worker.queue(batch, env)
  return getQueueResult(batch, createExecutionContext())
}

const rebuildOf = (siteId: string, day: string): RebuildMessage => ({
  kind: 'rebuild',
  site_id: siteId,
  day,
})

describe('freshness on every write path', { timeout: 60_000 }, () => {
  it('rebuilds the earlier days an identify event links, as the identified user', async () => {
    const s = await site()
    const anon = 'lz3k2a9f0x'
    const yesterday = utcDay(ts() - DAY_MS)
    const earlier = rowsOf(s.site.id, [
      event({ ts: ts() - DAY_MS, uid: anon }),
      event({ ts: ts() - DAY_MS + 1000, uid: anon, type: 'feature', feature: 'budget_tracking' }),
    ])
    await storeMessages(env.DB, [messageOf(s.site.id, earlier)])
    await rebuildDay(env.DB, s.site.id, yesterday)
    expect(await dirtyCount(s.site.id)).toBe(0)

    const identify = event({ type: 'identify', ts: ts(), uid: 'cust_1', props: { anon_id: anon } })
    expect((await sendBatch(s.site, [identify])).status).toBe(202)
    expect(await waitForEvents(s.site.id, 3)).toBe(3)
    // The link marked yesterday dirty; its rebuild came through the queue, not cron.
    expect(await waitForRebuild(s.site.id)).toBe(0)
    const { results } = await env.DB.prepare(
      'SELECT day, uid FROM rollup_user_days WHERE site_id = ?1 ORDER BY day',
    )
      .bind(s.site.id)
      .all()
    expect(results).toEqual([
      { day: yesterday, uid: 'cust_1' },
      { day: utcDay(ts()), uid: 'cust_1' },
    ])
  })

  it('rebuilds the days of what the outbox drain stored', async () => {
    const s = await site()
    const lost = messageOf(s.site.id, rowsOf(s.site.id, uses('p1', 'completed')))
    const created = Date.now() - OUTBOX_AGE_MS - 1000
    await insertOutboxStatement(env.DB, crypto.randomUUID(), lost, created).run()
    // Any batch drains: here one rebuild message for a day that is not dirty.
    await consumeNow([{ id: 'r0', body: rebuildOf(s.site.id, '2020-01-01') }])
    expect(await countEvents(s.site.id)).toBe(2)
    expect(await waitForRebuild(s.site.id)).toBe(0)
    const { kpis } = await getJson(`/v1/sites/${s.site.id}/dashboard`, s.read)
    expect(kpis).toMatchObject({ active_users: 1, events: 2 })
  })

  it('sends rebuild messages 100 at a time, and still rebuilds a day whose message was lost', async () => {
    const s = await site()
    const rows = pastDays(s.site.id, 105)
    const since = Date.now()
    await storeMessages(env.DB, [messageOf(s.site.id, rows)])
    // Day 3's mark is older than twice the delay: its message was lost.
    const lostDay = utcDay(rows[3].ts)
    await env.DB.prepare('UPDATE rollup_dirty SET marked_at = ?3 WHERE site_id = ?1 AND day = ?2')
      .bind(s.site.id, lostDay, since - 600_000)
      .run()
    const { queue, calls } = recordingQueue()
    const budget = { left: REBUILD_QUERIES }
    await scheduleRebuilds({ ...env, EVENTS: queue }, [messageOf(s.site.id, rows)], since, budget)
    expect(calls.map((c) => [c.days.length, c.sent])).toEqual([
      [100, true],
      [4, true],
    ])
    expect(calls.flatMap((c) => c.days)).not.toContain(lostDay)
    expect(await dirtyCount(s.site.id)).toBe(104) // the lost day was rebuilt at once
  })

  it('leaves an import’s days to cron: a write to the site schedules only what it marked', async () => {
    const s = await site()
    const since = Date.now()
    await markDaysDirtyStatement(env.DB, s.site.id, ['2020-01-02', '2020-01-03']).run()
    const rows = rowsOf(s.site.id, uses('p1', 'completed'))
    await storeMessages(env.DB, [messageOf(s.site.id, rows)])
    const { queue, calls } = recordingQueue()
    await scheduleRebuilds({ ...env, EVENTS: queue }, [messageOf(s.site.id, rows)], since, {
      left: REBUILD_QUERIES,
    })
    expect(calls).toEqual([{ days: [utcDay(ts())], sent: true }])
    const { results } = await env.DB.prepare(
      "SELECT day, marked_at FROM rollup_dirty WHERE site_id = ?1 AND day < '2021-01-01'",
    )
      .bind(s.site.id)
      .all()
    expect(results).toEqual([
      { day: '2020-01-02', marked_at: null },
      { day: '2020-01-03', marked_at: null },
    ])
  })

  it('sends a rebuild that did not fit the budget again as a fresh message, never a retry', async () => {
    const s = await site()
    const perDay = rebuildStatements(env.DB, s.site.id, '2020-01-01').length
    const n = Math.floor(REBUILD_QUERIES / perDay) + 3
    const rows = pastDays(s.site.id, n)
    await storeMessages(env.DB, [messageOf(s.site.id, rows)])
    const messages = rows.map((r, i) => ({ id: `r${i}`, body: rebuildOf(s.site.id, utcDay(r.ts)) }))
    const result = await consumeNow(messages)
    // A retry counts toward max_retries: under load, rebuilds would end in the dead-letter queue.
    expect(result.retryMessages).toEqual([])
    expect(result.explicitAcks.sort()).toEqual(messages.map((m) => m.id).sort())
    const left = await dirtyCount(s.site.id)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThan(n)
    expect(await waitForRebuild(s.site.id, 30_000)).toBe(0) // the fresh messages came
  })

  it('drops a rebuild message that reaches the dead-letter queue instead of keeping it', async () => {
    const s = await site()
    const result = await consumeNow(
      [{ id: 'd0', body: rebuildOf(s.site.id, '2020-01-01') }],
      DEAD_LETTER_QUEUE,
    )
    expect(result.ackAll).toBe(true)
    const kept = await env.DB.prepare('SELECT count(*) AS n FROM dead_letters WHERE body LIKE ?1')
      .bind(`%${s.site.id}%`)
      .first<number>('n')
    expect(kept).toBe(0)
  })

  it('stores 20 messages of 100 identify events each within one invocation’s 1,000 queries', async () => {
    const s = await site()
    const bodies = Array.from({ length: 20 }, (_, m) =>
      messageOf(
        s.site.id,
        rowsOf(
          s.site.id,
          Array.from({ length: 100 }, (_, i) =>
            event({
              type: 'identify',
              ts: ts(),
              uid: `cust_${m}_${i}`,
              props: JSON.stringify({ anon_id: `anon_${m}_${i}` }),
            }),
          ),
        ),
      ),
    )
    const { db, counter } = counting(env.DB)
    const batch = createMessageBatch(
      'stepwise-events',
      bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    )
    await worker.queue(batch, { ...env, DB: db })
    const result = await getQueueResult(batch, createExecutionContext())
    expect(result.retryMessages).toEqual([])
    expect(result.explicitAcks).toHaveLength(20)
    expect(counter.queries).toBeLessThanOrEqual(INVOCATION_QUERIES)
    expect(await countEvents(s.site.id)).toBe(2000)
    const links = await env.DB.prepare('SELECT count(*) AS n FROM user_aliases WHERE site_id = ?1')
      .bind(s.site.id)
      .first<number>('n')
    expect(links).toBe(2000)
  })

  it('rebuilds within what storing the batch left of the invocation’s 1,000 queries', async () => {
    const s = await site()
    // 780 days, each its own dirty-mark statement, and each marked long ago: lost, to rebuild now.
    const DAYS = 780
    const rows = pastDays(s.site.id, DAYS)
    await env.DB.prepare(
      'INSERT INTO rollup_dirty (site_id, day, marked_at) SELECT ?1, value, 0 FROM json_each(?2)',
    )
      .bind(s.site.id, JSON.stringify(rows.map((r) => utcDay(r.ts))))
      .run()
    const { db, counter } = counting(env.DB)
    const batch = createMessageBatch('stepwise-events', [
      { id: 'm0', timestamp: new Date(), attempts: 1, body: messageOf(s.site.id, rows) },
    ])
    await worker.queue(batch, { ...env, DB: db })
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(['m0'])
    expect(await countEvents(s.site.id)).toBe(DAYS)
    const rebuilt = DAYS - (await dirtyCount(s.site.id))
    expect(rebuilt).toBeGreaterThan(0) // it did rebuild, as far as the rest allowed
    expect(counter.queries).toBeLessThanOrEqual(INVOCATION_QUERIES)
  })
})
