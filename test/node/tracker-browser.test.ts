/**
 * The tracker in real headless Chromium, on a bank's page served from a second origin under
 * a strict CSP, sending to a real `wrangler dev`; what counts is what lands in D1.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRow } from '../../worker/schemas'
import {
  recordSends,
  sleep,
  startStack,
  type Stack,
  type PageGlobals,
} from './support/tracker-browser'
import { ADMIN_TOKEN, eventually } from './support/worker'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack?.stop())

type Row = Pick<EventRow, 'type' | 'path' | 'name' | 'workflow' | 'step' | 'status' | 'reason'> & {
  run: string
  value: number | null
}

/** The site's stored events, oldest first, once at least `n` are there. */
async function rows(site: { id: string }, n: number, ms?: number): Promise<Row[]> {
  return eventually(
    () =>
      stack.worker.query<Row>(
        `SELECT type, path, name, workflow, run, step, status, reason, value FROM events
         WHERE site_id = ? ORDER BY ts`,
        site.id,
      ),
    (r) => r.length >= n,
    ms,
  )
}

/** Calls the page's `sw` (as the bank's own code would). */
const sw = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (globalThis as unknown as PageGlobals).sw(...a), args)

async function openBank(path = '/') {
  const site = await stack.worker.createSite([stack.bank.origin])
  const context = await stack.newContext()
  const page = await context.newPage()
  const errors: Error[] = []
  page.on('pageerror', (e) => errors.push(e))
  await page.goto(stack.bank.page(site.pk, path))
  return { site, context, page, errors }
}

describe('the snippet', () => {
  it.each([
    ['in a file of its own', ''],
    ['inline, allowed by its hash', '&inline=1'],
  ])('replays calls the stub took before t.js loaded, %s, under a strict CSP', async (_, how) => {
    const site = await stack.worker.createSite([stack.bank.origin])
    const context = await stack.newContext()
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (m) => m.type() == 'error' && refused.push(m.text()))
    await page.goto(stack.bank.page(site.pk, '/accounts') + '&early=1' + how)
    const stored = await rows(site, 2)
    expect(stored.map((r) => r.name ?? r.type).sort()).toEqual(['called_before_load', 'page'])
    expect(refused).toEqual([])
    await context.close()
  })
})

describe('pageviews', () => {
  it('counts the first page and each single-page navigation, without query or fragment', async () => {
    const { site, page, context } = await openBank('/accounts#top')
    await page.evaluate(async () => {
      const tick = () => new Promise((r) => setTimeout(r, 20))
      await tick()
      const { history, location } = globalThis as unknown as PageGlobals
      history.pushState({}, '', '/budget?month=3')
      history.replaceState({}, '', '/budget?month=4')
      location.hash = '#limits'
      await tick()
      history.go(-2)
    })
    const stored = await rows(site, 3)
    await sleep(2500)
    expect(stack.worker.query('SELECT path FROM events WHERE site_id = ?', site.id)).toHaveLength(3)
    expect(stored.map((r) => [r.type, r.path])).toEqual([
      ['page', '/accounts'],
      ['page', '/budget'],
      ['page', '/accounts'],
    ])
    await context.close()
  })
})

describe('workflows', () => {
  it('stores a whole run with the step durations the tracker measured', async () => {
    const { site, page, context } = await openBank()
    // Timed in the page, as a person would pace it: 1 s to connect, 0.6 s to fail the MFA.
    await page.evaluate(async () => {
      const { sw } = globalThis as unknown as PageGlobals
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
      sw('step', 'account_linking', 'start')
      await pause(1000)
      sw('step', 'account_linking', 'connect')
      await pause(600)
      sw('step', 'account_linking', 'verify', { status: 'failed', reason: 'mfa_timeout' })
      await pause(20)
      sw('step', 'account_linking', 'verify', { status: 'completed' })
      await pause(20)
      sw('complete', 'account_linking')
    })
    const steps = (await rows(site, 6)).filter((r) => r.type == 'step')
    expect(steps.map((r) => [r.step, r.status, r.reason])).toEqual([
      ['start', null, null],
      ['connect', null, null],
      ['verify', 'failed', 'mfa_timeout'],
      ['verify', 'completed', null],
      ['complete', 'completed', null],
    ])
    expect(new Set(steps.map((r) => r.run)).size).toBe(1)
    expect(steps[0].value).toBeNull()
    expect(steps[1].value).toBeGreaterThanOrEqual(1)
    expect(steps[1].value).toBeLessThan(3)
    expect(steps[2].value).toBeGreaterThanOrEqual(0.6)
    expect(steps[2].value).toBeLessThan(2.5)
    await context.close()
  })
})

describe('leaving the page', () => {
  it('still delivers an event made as the page is left, by beacon', async () => {
    const { site, page, context } = await openBank('/transfer')
    await rows(site, 1)
    // Left at once, long before the 2 s batch would have gone by fetch.
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals
      g.sw('conversion', 'transfer_sent')
      g.location.href = 'about:blank'
    })
    const stored = await rows(site, 2)
    expect(stored.map((r) => r.name)).toContain('transfer_sent')
    await context.close()
  })
})

describe('privacy', () => {
  it.each([
    [
      'Do-Not-Track',
      () =>
        Object.defineProperty(
          (globalThis as unknown as PageGlobals).Navigator.prototype,
          'doNotTrack',
          {
            get: () => '1',
          },
        ),
    ],
    [
      'Global Privacy Control',
      () =>
        Object.defineProperty(
          (globalThis as unknown as PageGlobals).Navigator.prototype,
          'globalPrivacyControl',
          { get: () => true },
        ),
    ],
  ])('sends and stores nothing under %s', async (_, init) => {
    const site = await stack.worker.createSite([stack.bank.origin])
    const context = await stack.newContext(init)
    const sends = recordSends(context, stack.worker.url)
    const page = await context.newPage()
    await page.goto(stack.bank.page(site.pk, '/accounts'))
    await sw(page, 'feature', 'budget_tracking')
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.length),
    ).toBe(0)
    await page.goto('about:blank')
    await sleep(3000)
    expect(sends).toEqual([])
    await context.close()
  })

  it('sends nothing after sw("consent", false), on this page or the next', async () => {
    const { site, page, context } = await openBank('/accounts')
    await rows(site, 1)
    await sw(page, 'consent', false)
    await sw(page, 'feature', 'budget_tracking')
    await page.goto(stack.bank.page(site.pk, '/budget'))
    await sw(page, 'feature', 'budget_tracking')
    await sleep(3000)
    expect(stack.worker.query('SELECT path FROM events WHERE site_id = ?', site.id)).toEqual([
      { path: '/accounts' },
    ])
    await context.close()
  })
})

describe('robustness', () => {
  it('shrugs off garbage calls: nothing throws, the page works, later calls arrive', async () => {
    const { site, page, context, errors } = await openBank()
    const threw = await page.evaluate(() => {
      const sw = (globalThis as unknown as PageGlobals).sw
      const garbage: unknown[][] = [
        [],
        [undefined],
        [null, null],
        [Symbol('x')],
        [{ toString: () => 'feature' }],
        ['feature', { evil: true }],
        ['identify', 42],
        ['step', 'account_linking'],
        ['complete'],
        ['feedback', 'budget_tracking', 'five'],
        ['constructor', 'x'],
        ['feature', 'budget_tracking', JSON],
        ['metric', 'x', 1n],
        ['consent', 'no'],
      ]
      let count = 0
      for (const args of garbage) {
        try {
          sw(...args)
        } catch {
          count++
        }
      }
      return count
    })
    expect(threw).toBe(0)
    await page.click('#press')
    expect(await page.textContent('#status')).toBe('pressed')
    await sw(page, 'conversion', 'after_garbage')
    const stored = await rows(site, 2)
    expect(stored.map((r) => r.name)).toContain('after_garbage')
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('the demo bank page', () => {
  it('says what to do when the demo site does not exist', async () => {
    const res = await fetch(`${stack.worker.url}/demo`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('npm start')
  })

  it('reports to the demo site, and linking an account there lands in D1', async () => {
    const res = await fetch(`${stack.worker.url}/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'demo-bank', name: 'Demo', allowed_origins: [stack.worker.url] }),
    })
    const { public_key } = (await res.json()) as { public_key: string }
    const context = await stack.newContext()
    const page = await context.newPage()
    const errors: Error[] = []
    page.on('pageerror', (e) => errors.push(e))
    const served = await page.goto(`${stack.worker.url}/demo`)
    expect(served?.headers()['content-security-policy']).toContain("script-src 'self'")
    expect(await page.getAttribute('script[data-site]', 'data-site')).toBe(public_key)
    await page.click('#link-open')
    await page.click('[data-bank=harbor_national]')
    await page.fill('#code', '123456')
    await page.click('#verify')
    await page.click('[data-rating="5"]')
    const demo = { id: 'demo-bank' }
    const stored = await rows(demo, 8)
    // verify and complete are told in one click, often in the same millisecond: compare as sets.
    const steps = stored.filter((r) => r.type == 'step')
    expect(steps.map((r) => r.step).sort()).toEqual(['complete', 'connect', 'start', 'verify'])
    expect(new Set(steps.map((r) => r.run)).size).toBe(1)
    expect(stored.map((r) => r.type)).toEqual(
      expect.arrayContaining(['identify', 'page', 'feedback']),
    )
    expect(errors).toEqual([])
    await context.close()
  })
})
