/**
 * Freshness (DESIGN §11): events accepted through the real ingest route — a page's through the
 * queue, a backend's straight to D1 — show in every rollup-reading endpoint once the queue
 * consumer has rebuilt their day, with nobody calling the jobs endpoint. The rebuild message's
 * delay is 1 s here (vitest.config.ts), 30 s by default.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { RebuildMessage } from '../../worker/env'
import type { EventRow } from '../../worker/schemas'
import { storeMessages, utcDay } from '../../worker/ingest/store'
import worker from '../../worker/index'
import {
  BROWSER_UA,
  call,
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
