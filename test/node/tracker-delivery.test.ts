/**
 * The tracker's delivery under trouble, in real headless Chromium against a real
 * `wrangler dev`: offline spells, server errors, rejected batches, and several tabs. Each
 * test counts what the browser sent and what D1 stored.
 */
import type { BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  recordSends,
  sendCounts,
  sleep,
  startStack,
  type Stack,
  type PageGlobals,
} from './support/tracker-browser'
import { eventually } from './support/worker'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack?.stop())

const sw = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (globalThis as unknown as PageGlobals).sw(...a), args)

const stored = (site: { id: string }) =>
  stack.worker.query<{ id: string; name: string | null; type: string }>(
    'SELECT id, name, type FROM events WHERE site_id = ? ORDER BY ts',
    site.id,
  )
const storedNames = (site: { id: string }, n: number) =>
  eventually(
    () => stored(site).flatMap((r) => (r.name ? [r.name] : [])),
    (names) => names.length >= n,
  )

async function bank() {
  const site = await stack.worker.createSite([stack.bank.origin])
  const context = await stack.newContext()
  const sends = recordSends(context, stack.worker.url)
  return { site, context, sends }
}

/** Answers the collector's next request with `status` (readable cross-origin), then lets the rest through. */
async function failFirst(context: BrowserContext, status: number, headers = {}) {
  let failed = 0
  await context.route(`${stack.worker.url}/v1/events`, (route: Route) => {
    if (failed++) return route.continue()
    return route.fulfill({
      status,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': stack.bank.origin, ...headers },
      body: JSON.stringify({ error: { code: 'test', message: `made to answer ${status}` } }),
    })
  })
  return () => failed
}

describe('offline', () => {
  it('keeps events made offline and delivers each once when back online', async () => {
    const { site, context, sends } = await bank()
    const page = await context.newPage()
    await page.goto(stack.bank.page(site.pk, '/accounts'))
    await eventually(
      () => stored(site),
      (r) => r.length == 1,
    )
    await context.setOffline(true)
    await sw(page, 'conversion', 'offline_one')
    await sw(page, 'conversion', 'offline_two')
    await sleep(3000)
    expect(
      await page.evaluate(() =>
        Object.keys((globalThis as unknown as PageGlobals).localStorage).some((k) =>
          k.startsWith('sw_q'),
        ),
      ),
    ).toBe(true)
    await context.setOffline(false)
    expect((await storedNames(site, 2)).sort()).toEqual(['offline_one', 'offline_two'])
    await sleep(3000)
    expect([...sendCounts(sends).values()].every((n) => n == 1)).toBe(true)
    expect(stored(site)).toHaveLength(3)
    await context.close()
  })
})

describe('server errors', () => {
  it('sends a batch again after a 500 and stores it once', async () => {
    const { site, context, sends } = await bank()
    const failures = await failFirst(context, 500)
    const page = await context.newPage()
    await page.goto(stack.bank.page(site.pk, '/accounts'))
    await sw(page, 'conversion', 'after_500')
    await storedNames(site, 1)
    await sleep(3000)
    expect(failures()).toBe(2)
    expect(sends.map((s) => s.status)).toEqual([500, 202])
    expect(stored(site).map((r) => r.type)).toEqual(['page', 'conversion'])
    await context.close()
  })

  it('does not send again a batch the collector answered 400', async () => {
    const { site, context, sends } = await bank()
    await failFirst(context, 400)
    const page = await context.newPage()
    await page.goto(stack.bank.page(site.pk, '/accounts'))
    await sw(page, 'conversion', 'rejected')
    await sleep(8000)
    expect(sends.map((s) => s.status)).toEqual([400])
    expect(stored(site)).toEqual([])
    await sw(page, 'conversion', 'next_one')
    expect(await storedNames(site, 1)).toEqual(['next_one'])
    await context.close()
  })

  it('can read the real collector’s Retry-After from the bank’s origin', async () => {
    // An error after the site is known to allow the origin: the tracker can read it.
    const site = await stack.worker.createSite([stack.bank.origin])
    const res = await fetch(`${stack.worker.url}/v1/events`, {
      method: 'POST',
      headers: { origin: stack.bank.origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ site: site.pk, events: [{ id: 'no-type' }] }),
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('access-control-allow-origin')).toBe(stack.bank.origin)
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After')
  })

  it('waits as long as Retry-After says after a 429', async () => {
    const { site, context } = await bank()
    await failFirst(context, 429, {
      'retry-after': '4',
      'access-control-expose-headers': 'Retry-After',
    })
    const page = await context.newPage()
    const first = Date.now()
    await page.goto(stack.bank.page(site.pk, '/accounts'))
    await eventually(
      () => stored(site),
      (r) => r.length == 1,
      20_000,
    )
    // 2 s batch + 4 s Retry-After; without it the backoff would retry after 1–2 s.
    expect(Date.now() - first).toBeGreaterThanOrEqual(6000)
    await context.close()
  })
})

describe('tabs', () => {
  it('sends each event once when two tabs of the same browser are open', async () => {
    const { site, context, sends } = await bank()
    const [a, b] = [await context.newPage(), await context.newPage()]
    await Promise.all([
      a.goto(stack.bank.page(site.pk, '/accounts')),
      b.goto(stack.bank.page(site.pk, '/budget')),
    ])
    for (let i = 0; i < 5; i++) {
      await sw(a, 'conversion', `a${i}`)
      await sw(b, 'conversion', `b${i}`)
    }
    await storedNames(site, 10)
    await sleep(3000)
    expect(sendCounts(sends).size).toBe(12)
    expect([...sendCounts(sends).values()].every((n) => n == 1)).toBe(true)
    expect(stored(site)).toHaveLength(12)
    await context.close()
  })

  it('lets exactly one of two open tabs send what a tab closed offline left behind', async () => {
    const site = await stack.worker.createSite([stack.bank.origin])
    // The tab at /offline-tab believes it is offline, so it keeps everything and leaves it.
    const context = await stack.newContext(() => {
      const g = globalThis as unknown as PageGlobals
      if (g.location.pathname == '/offline-tab')
        Object.defineProperty(g.Navigator.prototype, 'onLine', { get: () => false })
    })
    const sends = recordSends(context, stack.worker.url)
    const [a, b, gone] = [await context.newPage(), await context.newPage(), await context.newPage()]
    await a.goto(stack.bank.page(site.pk, '/accounts'))
    await b.goto(stack.bank.page(site.pk, '/budget'))
    await eventually(
      () => stored(site),
      (r) => r.length == 2,
    )
    await gone.goto(stack.bank.page(site.pk, '/offline-tab'))
    await sw(gone, 'conversion', 'left_behind')
    await gone.goto('about:blank')
    // Both tabs come back online at the same instant and race for the queue left behind.
    const at = Date.now() + 500
    for (const tab of [a, b])
      await tab.evaluate((t) => {
        const g = globalThis as unknown as PageGlobals
        setTimeout(() => g.dispatchEvent(new Event('online')), t - Date.now())
      }, at)
    expect(await storedNames(site, 1)).toEqual(['left_behind'])
    await sleep(4000)
    const orphans = stored(site).filter((r) => r.name == 'left_behind' || r.type == 'page')
    expect(orphans).toHaveLength(4)
    for (const r of orphans) expect(sendCounts(sends).get(r.id)).toBe(1)
    await context.close()
  })
})
