/**
 * The stack for the tracker's browser tests: the built tracker, a real `wrangler dev`, the
 * bank's pages on a second origin, and headless Chromium. One of each per test file.
 */
import sparticuz from '@sparticuz/chromium'
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core'
import { join } from 'node:path'
import { buildTracker } from '../../../tracker/build'
import type { Event } from '../../../worker/schemas'
import { CHROMIUM_ARGS, DESKTOP_UA } from './chromium'
import { startFixtureOrigin, type FixtureOrigin } from './fixture-origin'
import { startWorker, type RunningWorker } from './worker'

export type Stack = {
  worker: RunningWorker
  bank: FixtureOrigin
  browser: Browser
  /** A fresh browser profile (its own localStorage), as one person's browser. */
  newContext: (init?: () => void) => Promise<BrowserContext>
  stop: () => Promise<void>
}

export async function startStack(): Promise<Stack> {
  await buildTracker(join(process.cwd(), 'dist', 'public'))
  const worker = await startWorker()
  const bank = await startFixtureOrigin(worker.url)
  // The user agent is set for the whole browser, not only per context: a beacon sent as a
  // page unloads leaves from the browser itself, which would otherwise say "HeadlessChrome"
  // and be dropped by the collector as a bot.
  const browser = await chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: [...CHROMIUM_ARGS, `--user-agent=${DESKTOP_UA}`],
  })
  return {
    worker,
    bank,
    browser,
    newContext: async (init) => {
      const context = await browser.newContext({ userAgent: DESKTOP_UA })
      if (init) await context.addInitScript(init)
      return context
    },
    stop: async () => {
      await browser?.close()
      await bank?.close()
      await worker?.stop()
    },
  }
}

export type Send = { events: Event[]; kind: string; status?: number }

/** Every batch the pages of `context` send to the collector, as the browser saw it. */
export function recordSends(context: BrowserContext, collector: string): Send[] {
  const sends: Send[] = []
  const seen = new Map<Request, Send>()
  context.on('request', (req) => {
    if (req.method() != 'POST' || !req.url().startsWith(`${collector}/v1/events`)) return
    const send = {
      events: JSON.parse(req.postData() ?? '{}').events ?? [],
      kind: req.resourceType(),
    }
    seen.set(req, send)
    sends.push(send)
  })
  context.on('requestfinished', async (req) => {
    const send = seen.get(req)
    if (send) send.status = (await req.response())?.status()
  })
  return sends
}

/** How many times each event id was sent. */
export function sendCounts(sends: Send[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const s of sends) for (const e of s.events) counts.set(e.id, (counts.get(e.id) ?? 0) + 1)
  return counts
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The page's globals that tests touch inside `page.evaluate`, typed here because the node
 * tests compile without the DOM library: `(globalThis as unknown as PageGlobals).history`.
 */
export type PageGlobals = {
  sw: (...args: unknown[]) => void
  history: { pushState: (s: unknown, t: string, u: string) => void } & {
    replaceState: (s: unknown, t: string, u: string) => void
    go: (n: number) => void
  }
  location: { href: string; hash: string; pathname: string }
  localStorage: { length: number } & Record<string, unknown>
  Navigator: { prototype: object }
  dispatchEvent: (e: unknown) => boolean
}
