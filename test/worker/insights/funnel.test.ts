/** `POST /v1/sites/:site/funnel` through the app, on events stored in D1. */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FunnelStep } from '../../../worker/analysis/funnel'
import { scanFunnelEvents } from '../../../worker/db/insights/funnel'
import { call } from '../helpers'
import { at, postJson, readableSite, store } from './stored-events'

const MIN = 60_000
const T = at('2026-03-02T10:00:00Z')
const PERIOD = 'from=2026-03-02&to=2026-03-08'
const STEPS = [
  { type: 'page', path: '/accounts' },
  { type: 'step', workflow: 'account_linking', step: 'connect' },
  { type: 'conversion', name: 'account_linked' },
]
const page = { type: 'page', path: '/accounts' } as const
const connect = { type: 'step', workflow: 'account_linking', run: 'r', step: 'connect' } as const
const linked = { type: 'conversion', name: 'account_linked' } as const

let site: string
let key: string

beforeAll(async () => {
  const s = await readableSite()
  site = s.site.id
  key = s.key
  const mobile = { tier: 'free', device: 'mobile', sid: 'm' } as const
  await store(site, [
    // u1: all three steps, 5 minutes apart
    { ...page, ...mobile, uid: 'u1', ts: T },
    { type: 'page', path: '/elsewhere', ...mobile, uid: 'u1', ts: T + MIN },
    { ...connect, ...mobile, uid: 'u1', ts: T + 5 * MIN },
    { ...linked, ...mobile, uid: 'u1', ts: T + 10 * MIN },
    // u2: two steps, an hour apart, on desktop
    { ...page, tier: 'free', device: 'desktop', uid: 'u2', ts: T },
    { ...connect, tier: 'free', device: 'desktop', uid: 'u2', ts: T + 60 * MIN },
    // u3: converts without the middle step: stays at step 1; no tier
    { ...page, device: 'mobile', uid: 'u3', ts: T + 1440 * MIN },
    { ...linked, device: 'mobile', uid: 'u3', ts: T + 1441 * MIN },
    // u4 starts after the period, u5 before it: neither counts
    { ...page, uid: 'u4', ts: at('2026-03-09T01:00:00Z') },
    { ...connect, uid: 'u4', ts: at('2026-03-09T01:01:00Z') },
    { ...page, uid: 'u5', ts: at('2026-03-01T23:00:00Z') },
    { ...connect, uid: 'u5', ts: at('2026-03-02T00:30:00Z') },
  ])
})

const funnel = (body: object, query = PERIOD) =>
  postJson(`/v1/sites/${site}/funnel?${query}`, key, { steps: STEPS, ...body })

describe('POST /funnel', () => {
  it('counts each step with conversions and median times', async () => {
    const { status, body } = await funnel({})
    expect(status).toBe(200)
    expect(body).toMatchObject({ window: '14d', order: 'ordered', by: 'user', breakdown: null })
    expect(body.truncated).toBe(false)
    expect(body.steps.map((s: any) => [s.label, s.count, s.conversion_from_start])).toEqual([
      ['page /accounts', 3, 1],
      ['step account_linking/connect', 2, 0.6667],
      ['conversion account_linked', 1, 0.3333],
    ])
    expect(body.steps.map((s: any) => s.conversion_from_previous)).toEqual([1, 0.6667, 0.5])
    // step 2: u1 after 300 s, u2 after 3600 s → 1950; step 3: u1 300 s after step 2
    expect(body.steps.map((s: any) => s.median_time_to_convert_s)).toEqual([null, 1950, 300])
  })

  it('drops a step that falls outside a shorter window', async () => {
    const { body } = await funnel({ window: '30m' })
    expect(body.steps.map((s: any) => s.count)).toEqual([3, 1, 1])
  })

  it('breaks down by device', async () => {
    const { body } = await funnel({ breakdown: 'device' })
    expect(body.breakdown.property).toBe('device')
    expect(
      body.breakdown.values.map((v: any) => [v.value, v.steps.map((s: any) => s.count)]),
    ).toEqual([
      ['mobile', [2, 1, 1]],
      ['desktop', [1, 1, 0]],
    ])
  })

  it('filters events by tier', async () => {
    const { body } = await funnel({}, `${PERIOD}&tier=free`)
    expect(body.steps.map((s: any) => s.count)).toEqual([2, 2, 1])
  })

  it('returns zeros for a period with no events', async () => {
    const { status, body } = await funnel({}, 'from=2025-01-01&to=2025-01-31')
    expect(status).toBe(200)
    expect(body.steps.map((s: any) => [s.count, s.conversion_from_start])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ])
  })

  it('refuses fewer than 2 or more than 10 steps with a 400', async () => {
    const one = await funnel({ steps: [STEPS[0]] })
    expect(one.status).toBe(400)
    expect(one.body.error.code).toBe('invalid_body')
    expect(one.body.error.message).toBe('steps: a funnel needs at least 2 steps')
    const eleven = await funnel({ steps: Array(11).fill(STEPS[0]) })
    expect(eleven.status).toBe(400)
    expect(eleven.body.error.message).toBe('steps: a funnel has at most 10 steps')
  })

  it('refuses a window outside 5m–90d, an unknown order and a feature filter', async () => {
    expect((await funnel({ window: '2m' })).status).toBe(400)
    expect((await funnel({ window: '91d' })).status).toBe(400)
    expect((await funnel({ window: 'soon' })).status).toBe(400)
    expect((await funnel({ order: 'sideways' })).status).toBe(400)
    const feature = await funnel({}, `${PERIOD}&feature=budget_tracking`)
    expect(feature.status).toBe(400)
    expect(feature.body.error.code).toBe('invalid_query')
  })

  it('reads every event in time order across types when the pages are small', async () => {
    const seen: string[] = []
    const q = { siteId: site, steps: STEPS as FunnelStep[], from: T, to: T + 2 * 1440 * MIN }
    const scan = await scanFunnelEvents(env.DB, q, (e) => seen.push(`${e.uid}:${e.type}`), {
      page: 2,
      max: 100,
    })
    expect(scan).toEqual({ scanned: 7, truncated: false })
    expect(seen).toEqual([
      'u1:page',
      'u2:page',
      'u1:step',
      'u1:conversion',
      'u2:step',
      'u3:page',
      'u3:conversion',
    ])
  })

  it('stops at the event cap and says the answer is truncated', async () => {
    const q = { siteId: site, steps: STEPS as FunnelStep[], from: T, to: T + 2 * 1440 * MIN }
    const scan = await scanFunnelEvents(env.DB, q, () => {}, { page: 2, max: 4 })
    expect(scan).toEqual({ scanned: 4, truncated: true })
  })

  it('needs a read key', async () => {
    const res = await call(`/v1/sites/${site}/funnel`, { method: 'POST', body: { steps: STEPS } })
    expect(res.status).toBe(401)
  })
})
