/**
 * Failed loads in headless Chromium against `wrangler dev`: Playwright's page.route() makes the
 * browser's own requests fail (an API call, uPlot's chunk), and the dashboard tries a failure
 * that may pass once more, names what failed, logs it, and loads it again on "Try again".
 */
import type { Page, Route } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { settle, shot, startDashboard, textOf, type Dashboard } from './dashboard-page'

let d: Dashboard

beforeAll(async () => {
  d = await startDashboard({ seed: { days: 3, users: 40 } })
}, 360_000)
afterAll(() => d?.stop())
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(d.page, `failed-${ctx.task.name.slice(0, 40)}`)
  expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([])
})

const DASHBOARD_API = /\/v1\/sites\/[^/]+\/dashboard(\?|$)/
/** uPlot's chunk, also when imported again with a cache-busting query. */
const UPLOT_CHUNK = /\/assets\/uPlot\.esm-[^/?]+\.js(\?|$)/
const UPLOT_CSS = /\/assets\/uPlot\.min-[^/?]+\.css(\?|$)/

/** Fails the first `times` requests matching `url` with `fail`, then lets them through. */
async function failing(
  p: Page,
  url: RegExp,
  times: number,
  fail: (route: Route) => Promise<void>,
): Promise<{ seen: () => number; heal: () => void }> {
  let seen = 0
  await p.route(url, (route) => (++seen <= times ? fail(route) : route.continue()))
  return { seen: () => seen, heal: () => (times = seen) }
}

const unavailable = (route: Route) => route.fulfill({ status: 503, body: 'down for a moment' })
const dropped = (route: Route) => route.abort('connectionreset')

/** The console errors the failures cause, and none else: the browser's and the dashboard's. */
function expectOnly(problems: string[], expected: RegExp[]): void {
  for (const re of expected)
    expect(
      problems.some((p) => re.test(p)),
      String(re),
    ).toBe(true)
  const others = problems.filter((p) => !/Failed to load resource/.test(p))
  expect(others.filter((p) => !expected.some((re) => re.test(p)))).toEqual([])
}

/** The page's getComputedStyle, for a function Playwright runs in the page. */
type Styled = { getComputedStyle: (el: unknown) => { position: string } }

const kpi = (p: Page) => p.locator('.kpi', { hasText: 'Active users' }).locator('.kpi-value')
const chart = (p: Page) => p.locator('.chart canvas').first()

describe('an API call that fails', () => {
  it('is tried again once after a 503, and the view shows its data', async () => {
    const p = await d.newPage()
    const api = await failing(p, DASHBOARD_API, 1, unavailable)
    await d.open(`/?period=7d#key=${d.site.read}`, p)
    expect(await kpi(p).innerText()).toMatch(/\d/)
    expect(await p.locator('[role=alert]').count()).toBe(0)
    expect(api.seen()).toBe(2)
    expect(d.takeProblems().filter((m) => !/Failed to load resource.*503/.test(m))).toEqual([])
    await p.close()
  })

  it('names the request and its status when it keeps failing, logs it, and loads on Try again', async () => {
    const p = await d.newPage()
    const api = await failing(p, DASHBOARD_API, Infinity, unavailable)
    await d.open(`/?period=7d#key=${d.site.read}`, p)
    const alert = await textOf(p, 'main [role=alert]')
    expect(alert).toContain(`GET /v1/sites/${d.site.id}/dashboard → 503 Service Unavailable`)
    expect(api.seen()).toBe(2)
    expectOnly(d.takeProblems(), [/Stepwise could not load: GET \/v1\/sites\/.+\/dashboard → 503/])
    await shot(p, 'api-error')

    api.heal()
    await p.getByRole('button', { name: 'Try again' }).click()
    await settle(p)
    expect(await kpi(p).innerText()).toMatch(/\d/)
    expect(await p.locator('[role=alert]').count()).toBe(0)
    await p.close()
  })

  for (const [status, view] of [
    [404, '/workflows/no_such_flow?period=7d'],
    [429, '/?period=7d'],
    [401, '/?period=7d'],
  ] as const) {
    it(`is not tried again after a ${status}`, async () => {
      const p = await d.newPage()
      // The real 404; a 429 that asks to wait a minute, as ours do; a key revoked meanwhile.
      const url =
        status === 404 ? /\/v1\/sites\/[^/]+\/workflows\/no_such_flow(\?|$)/ : DASHBOARD_API
      const api = await failing(p, url, status === 404 ? 0 : Infinity, (route) =>
        route.fulfill({ status, headers: { 'retry-after': '60' }, body: '' }),
      )
      await d.open(`${view}#key=${d.site.read}`, p)
      // The error shows only after the last try, so every request sent is counted by now.
      await p.locator('[role=alert]').first().waitFor()
      expect(api.seen()).toBe(1)
      if (status === 401) expect(await textOf(p, '[role=alert]')).toContain('Signed out')
      else expect(await textOf(p, 'main [role=alert]')).toContain(`→ ${status}`)
      expectOnly(d.takeProblems(), [new RegExp(`Stepwise could not load: GET .+ → ${status}`)])
      await p.close()
    })
  }
})

describe("a view's chunk", () => {
  it('is fetched again when it fails once, and the view appears', async () => {
    const p = await d.newPage()
    const js = await failing(p, /\/assets\/retention-[^/?]+\.js(\?|$)/, 1, dropped)
    await d.open(`/retention?period=7d#key=${d.site.read}`, p)
    await p.getByRole('heading', { name: 'Retention', level: 1 }).waitFor()
    expect(js.seen()).toBe(2)
    expect(await p.locator('.state-error').count()).toBe(0)
    expectOnly(d.takeProblems(), [])
    await p.close()
  })
})

describe("the chart library's chunk", () => {
  it('is fetched again, with its stylesheet, when it fails once, and the chart appears', async () => {
    // A new page is a new browser context: nothing of uPlot is loaded or cached in it yet.
    const p = await d.newPage()
    const js = await failing(p, UPLOT_CHUNK, 1, dropped)
    const css = await failing(p, UPLOT_CSS, 1, dropped)
    await d.open(`/?period=7d#key=${d.site.read}`, p)
    await chart(p).waitFor()
    expect([js.seen(), css.seen()]).toEqual([2, 2])
    expect(await p.locator('.state-error').count()).toBe(0)
    // uPlot's stylesheet applies (it lays the cursor layer over the canvas), linked once.
    expect(await p.locator('link[rel=stylesheet][href*="uPlot.min-"]').count()).toBe(1)
    const over = p.locator('.u-over').first()
    expect(
      await over.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).position),
    ).toBe('absolute')
    expectOnly(d.takeProblems(), [])
    await p.close()
  })

  it('says what failed when it keeps failing, and Try again draws the chart', async () => {
    const p = await d.newPage()
    const js = await failing(p, UPLOT_CHUNK, Infinity, dropped)
    await d.open(`/?period=7d#key=${d.site.read}`, p)
    const note = await textOf(p, 'main .state-error')
    expect(note).toContain('The chart library could not be downloaded.')
    expect(note).toMatch(/The chart library \(uPlot chunk\) did not load: .*uPlot\.esm-.+\.js/)
    expect(js.seen()).toBe(2)
    expectOnly(d.takeProblems(), [/Stepwise could not load: The chart library \(uPlot chunk\)/])
    await shot(p, 'chart-error')

    js.heal()
    await p.getByRole('button', { name: 'Try again' }).first().click()
    await chart(p).waitFor()
    expect(await p.locator('.state-error').count()).toBe(0)
    expectOnly(d.takeProblems(), [])
    await p.close()
  })
})
