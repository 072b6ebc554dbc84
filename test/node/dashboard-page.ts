/**
 * The harness of the dashboard's browser tests: one `wrangler dev` with the demo bank's data
 * and one headless Chromium, helpers to open a view and read what it shows, and a record of
 * console errors, page errors and dialogs (a dialog would mean injected script ran).
 * Needs `npm run build` first (npm test does it). Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { seedDemoSite, type SeededSite } from './dashboard-data'
import { DESKTOP_UA, launchChromium } from './support/chromium'
import { startWorker, type RunningWorker } from './support/worker'

const SHOTS = 'test-results'

export type Dashboard = {
  worker: RunningWorker
  site: SeededSite
  browser: Browser
  /** A signed-in desktop page. */
  page: Page
  /** Problems seen since the last call (console errors, page errors, dialogs). */
  takeProblems: () => string[]
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>
  api: <T>(path: string, query?: Record<string, string>, body?: unknown) => Promise<T>
  open: (path: string, p?: Page) => Promise<void>
  stop: () => Promise<void>
}

/**
 * `vars`: more Worker variables, e.g. DEV_ALLOW_LOCAL_WEBHOOKS for a local webhook receiver;
 * `seed`: how much of the demo bank to send (seedDemoSite's options, e.g. `historyDays`).
 */
export async function startDashboard(
  opts: { vars?: Record<string, string>; seed?: Parameters<typeof seedDemoSite>[1] } = {},
): Promise<Dashboard> {
  mkdirSync(SHOTS, { recursive: true })
  const worker = await startWorker({ vars: opts.vars })
  let site: SeededSite
  let browser: Browser
  try {
    site = await seedDemoSite(worker, opts.seed)
    browser = await launchChromium()
  } catch (err) {
    await worker.stop()
    throw err
  }
  let problems: string[] = []
  const contexts: BrowserContext[] = []

  const newPage = async (viewport = { width: 1280, height: 900 }) => {
    // A real browser's language: this Chromium build reports `en-US@posix`, which Intl rejects.
    const context = await browser.newContext({ userAgent: DESKTOP_UA, viewport, locale: 'en-US' })
    contexts.push(context)
    const p = await context.newPage()
    p.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    p.on('dialog', async (d) => {
      problems.push(`dialog: ${d.message()}`)
      await d.dismiss()
    })
    return p
  }
  const open = async (path: string, p = page) => {
    await p.goto(worker.url + path)
    await settle(p)
  }
  let page: Page
  try {
    page = await newPage()
    await open(`/#key=${site.read}`)
  } catch (err) {
    await browser.close()
    await worker.stop()
    throw err
  }

  return {
    worker,
    site,
    browser,
    page,
    newPage,
    open,
    takeProblems: () => {
      const seen = problems
      problems = []
      return seen
    },
    api: async <T>(path: string, query: Record<string, string> = {}, body?: unknown) => {
      const q = new URLSearchParams(query).toString()
      const res = await fetch(`${worker.url}/v1/sites/${site.id}${path}${q ? `?${q}` : ''}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${site.read}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    },
    stop: async () => {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close()
      await worker.stop()
    },
  }
}

/**
 * The page's globals, for functions Playwright runs in the page. They are passed as functions,
 * not strings: the dashboard's CSP forbids eval, and it stays on in these tests.
 */
type PageGlobals = {
  document: {
    querySelector: (s: string) => unknown
    activeElement: { id: string } | null
    documentElement: { scrollWidth: number }
  }
  sessionStorage: { getItem: (k: string) => string | null }
  requestAnimationFrame: (f: () => void) => void
}

/** Waits until a state change has rendered and nothing is loading any more. */
export async function settle(p: Page): Promise<void> {
  await p.locator('main, .sign-in').first().waitFor()
  await p.evaluate(
    () =>
      new Promise<void>((r) =>
        (globalThis as unknown as PageGlobals).requestAnimationFrame(() => setTimeout(r, 0)),
      ),
  )
  await p.waitForFunction(
    () => !(globalThis as unknown as PageGlobals).document.querySelector('.state-loading'),
    null,
    { timeout: 20_000 },
  )
}

export const storedKey = (p: Page) =>
  p.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('stepwise.key'))
export const focusedId = (p: Page) =>
  p.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)
export const pageWidth = (p: Page) =>
  p.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)

/** The text of the first element matching, once it is visible. */
export async function textOf(p: Page, selector: string): Promise<string> {
  const el = p.locator(selector).first()
  await el.waitFor()
  return el.innerText()
}

/** The body rows of the table in the panel titled `title`, as trimmed cell texts. */
export async function tableRows(p: Page, title: string): Promise<string[][]> {
  const panel = p.locator('section.panel').filter({ has: p.locator(`h2:text-is("${title}")`) })
  const rows = await panel.locator('tbody tr').allInnerTexts()
  return rows.map((r) => r.split('\t').map((c) => c.trim()))
}

/** The row whose first cell is `label`. */
export function rowOf(rows: string[][], label: string): string[] {
  const row = rows.find((r) => r[0] === label)
  if (!row) throw new Error(`no row "${label}" in ${JSON.stringify(rows.map((r) => r[0]))}`)
  return row
}

export async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: `${SHOTS}/dashboard-${name}.png`, fullPage: true })
}
