import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closePage, newPage, type Page } from './support/tracker-page'

let page: Page
beforeEach(() => {
  page = newPage()
})
afterEach(closePage)

describe('the sw() calls of DESIGN §4', () => {
  it('counts the first pageview with the path alone, never the query or the fragment', async () => {
    Object.assign(page.location, { pathname: '/accounts', search: '?token=abc', hash: '#top' })
    await page.loadTracker()
    await page.wait(2000)
    expect(page.events()).toMatchObject([{ type: 'page', path: '/accounts' }])
    expect(page.sent[0].body).not.toContain('token')
  })

  it('turns a feature call and its options into one feature event', async () => {
    const sw = await page.loadTracker()
    sw('feature', 'spending_analysis', { name: 'view_report', value: 45.2, status: 'completed' })
    await page.wait(2000)
    expect(page.events()[1]).toMatchObject({
      type: 'feature',
      feature: 'spending_analysis',
      name: 'view_report',
      value: 45.2,
      status: 'completed',
    })
  })

  it('fills each event with an id, a time, the user, the session and the path', async () => {
    const sw = await page.loadTracker()
    sw('stage', 'onboarding')
    await page.wait(2000)
    const [pageview, stage] = page.events()
    expect(stage).toMatchObject({
      type: 'stage',
      stage: 'onboarding',
      path: '/',
      ts: Date.now() - 2000,
    })
    expect(stage.id).toMatch(/^[a-z0-9]{8,40}$/)
    expect(stage.id).not.toBe(pageview.id)
    expect(stage.uid).toBe(pageview.uid)
    expect(stage.sid).toBe(pageview.sid)
  })

  it('shapes conversion, connection, feedback and metric calls', async () => {
    const sw = await page.loadTracker()
    sw('conversion', 'first_feature_use')
    sw('connection', 'first_example_bank', { status: 'completed', value: 840 })
    sw('feedback', 'budget_tracking', 4)
    sw('metric', 'sync_latency', 120, { props: { region: 'eu' } })
    await page.wait(2000)
    expect(page.events().slice(1)).toMatchObject([
      { type: 'conversion', name: 'first_feature_use' },
      { type: 'connection', institution: 'first_example_bank', status: 'completed', value: 840 },
      { type: 'feedback', feature: 'budget_tracking', value: 4 },
      { type: 'metric', name: 'sync_latency', value: 120, props: { region: 'eu' } },
    ])
  })

  it('replays the calls the stub queued before the script loaded, in order', async () => {
    const stub = function (...args: unknown[]) {
      ;(stub.q = stub.q || []).push(args)
    } as ((...args: unknown[]) => void) & { q?: unknown[][] }
    ;(globalThis as unknown as { sw: unknown }).sw = stub
    stub('identify', 'cust_1', { tier: 'plus' })
    stub('conversion', 'signed_in')
    const sw = await page.loadTracker({}, 'same-page')
    expect(sw).not.toBe(stub)
    await page.wait(2000)
    expect(page.events().map((e) => [e.type, e.uid])).toEqual([
      ['identify', 'cust_1'],
      ['conversion', 'cust_1'],
      ['page', 'cust_1'],
    ])
  })

  it('switches to the identified user and tier for this and later events', async () => {
    const sw = await page.loadTracker()
    sw('identify', 'cust_7', { tier: 'premium' })
    sw('feature', 'budget_tracking')
    await page.wait(2000)
    const [pageview, identify, feature] = page.events()
    expect(pageview.uid).not.toBe('cust_7')
    expect(identify).toMatchObject({ type: 'identify', uid: 'cust_7', tier: 'premium' })
    expect(feature).toMatchObject({ uid: 'cust_7', tier: 'premium' })
  })

  it('ignores a tier that is not a string', async () => {
    const sw = await page.loadTracker()
    sw('identify', 'cust_8', { tier: 3 })
    await page.wait(2000)
    expect(page.events()[1].tier).toBeUndefined()
  })

  it('keeps the identified user across page loads', async () => {
    const sw = await page.loadTracker()
    sw('identify', 'cust_9', { tier: 'free' })
    await page.wait(2000)
    await page.loadTracker()
    await page.wait(2000)
    expect(page.events().at(-1)).toMatchObject({ type: 'page', uid: 'cust_9', tier: 'free' })
  })

  it('leaves a first copy of the script in charge when a second one loads', async () => {
    const first = await page.loadTracker()
    const second = await page.loadTracker({}, 'same-page')
    expect(second).toBe(first)
    await page.wait(2000)
    expect(page.events().filter((e) => e.type == 'page')).toHaveLength(1)
  })

  it('shrugs off garbage calls without throwing or sending anything', async () => {
    const sw = await page.loadTracker()
    const hostile = Object.defineProperty({}, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const calls: unknown[][] = [
      [],
      [null],
      [42],
      [{}],
      ['nonsense', 'x'],
      ['toString', 'x'],
      ['__proto__', 'x'],
      ['feature'],
      ['feature', 12],
      ['identify', { id: 1 }],
      ['step', null, 'connect'],
      ['abandon', 'never_started'],
      ['consent', 'maybe'],
      ['feature', 'budget_tracking', hostile],
    ]
    for (const args of calls) expect(() => sw(...args)).not.toThrow()
    await page.wait(2000)
    expect(page.events().map((e) => e.type)).toEqual(['page'])
  })
})

describe('identify', () => {
  it('links the anonymous history once, and never links one identified user to another', async () => {
    const sw = await page.loadTracker()
    sw('identify', 'cust_1', { tier: 'plus', props: { via: 'sso' } })
    sw('identify', 'cust_1')
    sw('identify', 'cust_2')
    await page.wait(2000)
    const [view, first, again, other] = page.events()
    expect(first).toMatchObject({ type: 'identify', uid: 'cust_1', tier: 'plus' })
    expect(first.props).toEqual({ via: 'sso', anon_id: view.uid })
    expect(view.uid).not.toBe('cust_1')
    expect(again.props).toBeUndefined()
    expect(other).toMatchObject({ uid: 'cust_2' })
    expect(other.props).toBeUndefined()
  })
})
