/**
 * Identify links the anonymous history (issue 14): an identify event carrying the browser's
 * previous anonymous id (props.anon_id) makes every analysis that groups by user read both
 * ids as one user, before and after the link; two identified users are never merged.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, event, sendBatch } from '../helpers'
import { at, postJson, readableSite, rebuildActivity, store } from './stored-events'

const MIN = 60_000
const T = at('2026-03-02T10:00:00Z')
const PERIOD = 'from=2026-03-01&to=2026-03-08'
const STEPS = [
  { type: 'page', path: '/landing' },
  { type: 'step', workflow: 'sign_up', step: 'submit' },
]
const landing = { type: 'page', path: '/landing' } as const
const submit = { type: 'step', workflow: 'sign_up', run: 'r1', step: 'submit' } as const
const identify = (uid: string, anon: string | undefined, ts: number) => ({
  type: 'identify' as const,
  uid,
  ts,
  ...(anon && { props: JSON.stringify({ anon_id: anon }) }),
})

const aliases = (site: string) =>
  env.DB.prepare('SELECT anon_id, uid FROM user_aliases WHERE site_id = ?1 ORDER BY anon_id')
    .bind(site)
    .all<{ anon_id: string; uid: string }>()
    .then((r) => r.results)

describe('a funnel across sign-in', () => {
  let site: string
  let key: string
  beforeAll(async () => {
    const s = await readableSite()
    site = s.site.id
    key = s.key
    // anon_1 lands, signs in as cust_1 (the link), and signs up as cust_1. The link arrives in
    // a later batch than the landing, on the next day, as after a long form.
    await store(site, [{ ...landing, uid: 'anon_1', sid: 's1', ts: T }])
    await store(site, [
      identify('cust_1', 'anon_1', T + 1440 * MIN),
      { ...submit, uid: 'cust_1', sid: 's1', ts: T + 1441 * MIN },
    ])
    // anon_2 lands and signs in without the link: two users, as before.
    await store(site, [
      { ...landing, uid: 'anon_2', ts: T },
      identify('cust_2', undefined, T + MIN),
      { ...submit, run: 'r2', uid: 'cust_2', ts: T + 2 * MIN },
    ])
  })

  it('counts the anonymous landing and the identified sign-up as one user', async () => {
    const { status, body } = await postJson(`/v1/sites/${site}/funnel?${PERIOD}`, key, {
      steps: STEPS,
    })
    expect(status).toBe(200)
    expect(body.steps.map((s: any) => s.count)).toEqual([2, 1])
  })

  it('stores the link once, and rebuilds the earlier day’s rollups as the identified user', async () => {
    expect(await aliases(site)).toEqual([{ anon_id: 'anon_1', uid: 'cust_1' }])
    await rebuildActivity(site)
    const { results } = await env.DB.prepare(
      'SELECT day, uid FROM rollup_user_days WHERE site_id = ?1 ORDER BY day, uid',
    )
      .bind(site)
      .all()
    expect(results).toEqual([
      { day: '2026-03-02', uid: 'anon_2' },
      { day: '2026-03-02', uid: 'cust_1' },
      { day: '2026-03-02', uid: 'cust_2' },
      { day: '2026-03-03', uid: 'cust_1' },
    ])
  })
})

describe('two identified users', () => {
  it('are never merged, and an anonymous id links to the first uid only', async () => {
    const { site, key } = await readableSite()
    await store(site.id, [
      { ...landing, uid: 'anon_a', ts: T },
      identify('cust_a', 'anon_a', T + MIN),
      // cust_b claims cust_a's id as its anonymous one: cust_a is identified, no link.
      identify('cust_b', 'cust_a', T + 2 * MIN),
      // a second sign-in from anon_a as another user: the first link stands.
      identify('cust_c', 'anon_a', T + 3 * MIN),
      // cust_d names an anonymous id that sent an identify of its own.
      identify('anon_e', undefined, T + 4 * MIN),
      identify('cust_d', 'anon_e', T + 5 * MIN),
      // and a linked uid cannot itself be linked on: no chains.
      identify('cust_f', 'cust_a', T + 6 * MIN),
      { ...submit, uid: 'cust_b', ts: T + 7 * MIN },
      { ...submit, run: 'r2', uid: 'cust_c', ts: T + 8 * MIN },
    ])
    expect(await aliases(site.id)).toEqual([{ anon_id: 'anon_a', uid: 'cust_a' }])
    const { body } = await postJson(`/v1/sites/${site.id}/funnel?${PERIOD}`, key, {
      steps: STEPS,
    })
    expect(body.steps.map((s: any) => s.count)).toEqual([1, 0])
  })
})

describe('ingest', () => {
  it('takes the link from a page, and refuses one that looks like personal data', async () => {
    const { site } = await readableSite()
    const res = await sendBatch(site, [
      event({ id: 'i1', type: 'identify', uid: 'cust_9', props: { anon_id: 'lz3k2a9f0x' } }),
      event({ id: 'i2', type: 'identify', uid: 'cust_8', props: { anon_id: 'jo@bank.example' } }),
      event({ id: 'i3', type: 'identify', uid: 'cust_7', props: { anon_id: 42 } }),
    ])
    const body = (await res.json()) as { rejected: { index: number; code: string }[] }
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 1, code: 'pii_in_identifier' }),
      expect.objectContaining({ index: 2, code: 'invalid_event' }),
    ])
    let rows: unknown[] = []
    for (let i = 0; i < 80 && !rows.length; i++) {
      await new Promise((r) => setTimeout(r, 100))
      rows = await aliases(site.id)
    }
    expect(rows).toEqual([{ anon_id: 'lz3k2a9f0x', uid: 'cust_9' }])
  })
})

describe('erasing a user', () => {
  it('erases the anonymous history linked to them, and the link', async () => {
    const { site } = await readableSite()
    await store(site.id, [
      { ...landing, uid: 'anon_g', ts: T },
      identify('cust_g', 'anon_g', T + MIN),
      { ...landing, uid: 'anon_h', ts: T },
    ])
    const exported = await call(`/v1/sites/${site.id}/users/cust_g/export`, { token: site.admin })
    const doc = (await exported.json()) as { tables: Record<string, unknown[]> }
    expect(doc.tables.user_aliases).toMatchObject([{ anon_id: 'anon_g', uid: 'cust_g' }])
    const res = await call(`/v1/sites/${site.id}/users/cust_g`, {
      method: 'DELETE',
      token: site.admin,
    })
    expect(res.status).toBe(200)
    const { removed } = (await res.json()) as { removed: Record<string, number> }
    expect(removed).toMatchObject({ anonymous_events: 1, events: 1, user_aliases: 1 })
    const left = await env.DB.prepare('SELECT uid FROM events WHERE site_id = ?1')
      .bind(site.id)
      .all()
    expect(left.results).toEqual([{ uid: 'anon_h' }])
    expect(await aliases(site.id)).toEqual([])
  })
})
