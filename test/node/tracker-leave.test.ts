/**
 * Leaving the page (issue 14): every event made before `pagehide` arrives exactly once, in
 * real headless Chromium against a real `wrangler dev` on a second origin. Each case makes
 * the same short visit (identify, two steps, a stage, as a person signing in would within
 * about 2 s of the load) and leaves in a different way or at a different moment.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCountingProxy, type CountingProxy } from './support/counting-proxy'
import { startFixtureOrigin, type FixtureOrigin } from './support/fixture-origin'
import { sleep, startStack, type PageGlobals, type Stack } from './support/tracker-browser'
import { eventually } from './support/worker'

// The bank's pages load t.js from, and send to, a proxy in front of wrangler dev that counts
// what reached it.
let stack: Stack
let proxy: CountingProxy
let bank: FixtureOrigin
beforeAll(async () => {
  stack = await startStack()
  proxy = await startCountingProxy(stack.worker.url)
  bank = await startFixtureOrigin(proxy.url)
})
afterAll(async () => {
  await bank?.close()
  await proxy?.close()
  await stack?.stop()
})

type Row = { id: string; type: string; name: string | null; step: string | null; uid: string }

const stored = (site: { id: string }) =>
  stack.worker.query<Row>(
    'SELECT id, type, name, step, stage, uid FROM events WHERE site_id = ? ORDER BY ts, id',
    site.id,
  )

/** What a person signing in does: made in one task, then `leave` runs in the same task. */
const visit = (page: Page, tag: string, leave: string) =>
  page.evaluate(
    ([tag, leave]) => {
      const g = globalThis as unknown as PageGlobals & { close: () => void }
      g.sw('identify', 'cust_' + tag)
      g.sw('step', 'account_linking', 'start')
      g.sw('step', 'account_linking', 'connect')
      g.sw('stage', 'onboarding')
      if (leave) g.location.href = leave
    },
    [tag, leave],
  )

async function open(path = '/accounts') {
  const site = await stack.worker.createSite([bank.origin])
  const context = await stack.newContext()
  const page = await context.newPage()
  return { site, context, page, url: bank.page(site.pk, path) }
}

/** Every stored event reached the collector in exactly one batch. */
function expectEachSentOnce(rows: Row[]) {
  const counts = proxy.counts()
  expect(rows.map((r) => [r.type, counts.get(r.id)])).toEqual(rows.map((r) => [r.type, 1]))
}

/** The visit's events, once `n` are stored (well within the 5 minutes a stale record waits). */
async function arrived(site: { id: string }, n: number) {
  const rows = await eventually(
    () => stored(site),
    (r) => r.length >= n,
    12_000,
  )
  await sleep(1500)
  return stored(site)
}

function expectVisit(rows: Row[], pages = 1) {
  expect(rows.filter((r) => r.type == 'page')).toHaveLength(pages)
  expect(rows.filter((r) => r.type == 'identify')).toHaveLength(1)
  expect(rows.flatMap((r) => (r.type == 'step' ? [r.step] : [])).sort()).toEqual([
    'connect',
    'start',
  ])
  expect(rows.filter((r) => r.type == 'stage')).toHaveLength(1)
}

const destinations: [string, () => string][] = [
  ['about:blank', () => 'about:blank'],
  ['another origin', () => `${stack.worker.url}/v1/health`],
  ['the same origin, untracked', () => `${bank.origin}/favicon.ico`],
]

describe('left before the first batch went', () => {
  it.each(destinations)('delivers the whole visit once on leaving for %s', async (_, to) => {
    const { site, context, page, url } = await open()
    await page.goto(url)
    await visit(page, 'a1', to())
    const rows = await arrived(site, 5)
    expectVisit(rows)
    expectEachSentOnce(rows)
    await context.close()
  })

  it('delivers the visit once on a tracked page of the same site', async () => {
    const { site, context, page, url } = await open()
    await page.goto(url)
    await visit(page, 'a2', bank.page(site.pk, '/budget'))
    const rows = await arrived(site, 6)
    expectVisit(rows, 2)
    expectEachSentOnce(rows)
    await context.close()
  })

  it('delivers the visit once when the tab is closed', async () => {
    const { site, context, page, url } = await open()
    await page.goto(url)
    await visit(page, 'a3', '')
    await page.close({ runBeforeUnload: true })
    const rows = await arrived(site, 5)
    expectVisit(rows)
    expectEachSentOnce(rows)
    await context.close()
  })
})

describe('left while a batch is out', () => {
  it('delivers what the fetch did not carry, once', async () => {
    const { site, context, page, url } = await open()
    // The first batch (the pageview) is held for a second on its way, so the page is left
    // while that fetch is still out.
    const before = proxy.batches.length
    proxy.holdNext(1000)
    await page.goto(url)
    await eventually(
      () => proxy.batches.length,
      (n) => n > before,
    )
    await visit(page, 'b1', 'about:blank')
    const rows = await arrived(site, 5)
    expectVisit(rows)
    expectEachSentOnce(rows)
    await context.close()
  })
})

describe('left after several batches', () => {
  it('delivers the last events once', async () => {
    const { site, context, page, url } = await open()
    await page.goto(url)
    for (let i = 0; i < 3; i++) {
      await page.evaluate(
        (i) => (globalThis as unknown as PageGlobals).sw('conversion', `c${i}`),
        i,
      )
      await eventually(
        () => stored(site),
        (r) => r.length >= i + 2,
      )
    }
    await visit(page, 'c1', `${stack.worker.url}/v1/health`)
    const rows = await arrived(site, 8)
    expectVisit(rows)
    expect(rows).toHaveLength(8)
    expectEachSentOnce(rows)
    await context.close()
  })
})

describe('paced as a person would', () => {
  it('delivers a visit whose last calls follow the first batch, left as that batch is out', async () => {
    const { site, context, page, url } = await open()
    const before = proxy.batches.length
    proxy.holdNext(1500)
    await page.goto(url)
    // Calls spread over about 2.5 s: the first batch goes at 2 s and is held on its way, the
    // last calls come after it, and the page is left while it is still out.
    await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
      await pause(1200)
      g.sw('identify', 'cust_d1')
      await pause(500)
      g.sw('step', 'account_linking', 'start')
      await pause(600)
      g.sw('step', 'account_linking', 'connect')
      await pause(300)
      g.sw('stage', 'onboarding')
    })
    expect(proxy.batches.length).toBe(before + 1)
    await page.goto('about:blank')
    const rows = await arrived(site, 5)
    expectVisit(rows)
    expectEachSentOnce(rows)
    await context.close()
  })

  it('delivers what the page’s own pagehide handler records, once', async () => {
    const { site, context, page, url } = await open()
    await page.goto(url)
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals & {
        addEventListener: (t: string, f: () => void) => void
      }
      g.addEventListener('pagehide', () => g.sw('abandon', 'account_linking', 'closed_tab'))
    })
    await visit(page, 'd2', 'about:blank')
    const rows = await arrived(site, 6)
    // The abandon is reported at the step the user was on.
    const steps = rows.flatMap((r) => (r.type == 'step' ? [r.step] : []))
    expect(steps.sort()).toEqual(['connect', 'connect', 'start'])
    expect(rows).toHaveLength(6)
    expectEachSentOnce(rows)
    await context.close()
  })
})

describe('a beacon the browser refuses', () => {
  it('is sent by the next page of the site at once', async () => {
    const site = await stack.worker.createSite([bank.origin])
    // The first page's browser refuses every beacon (as when its keepalive quota is spent).
    const context = await stack.newContext(() => {
      const g = globalThis as unknown as PageGlobals & { navigator: { sendBeacon: unknown } }
      if (g.location.pathname == '/refused')
        Object.defineProperty(g.navigator, 'sendBeacon', { value: () => false })
    })
    const page = await context.newPage()
    await page.goto(bank.page(site.pk, '/refused'))
    await visit(page, 'e1', bank.page(site.pk, '/next'))
    // Well before the 5 minutes after which a record nobody wrote is adopted.
    const rows = await arrived(site, 6)
    expectVisit(rows, 2)
    expectEachSentOnce(rows)
    await context.close()
  })
})
