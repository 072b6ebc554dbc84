/**
 * A pretend page for the tracker's unit tests in node: just the globals the tracker touches
 * (localStorage, navigator, location, history, document, window events, fetch), with fake
 * timers. Each `loadTracker()` is a fresh copy of the tracker, as one tab's page load; tabs
 * opened on the same `Page` share its localStorage, as tabs of one origin do.
 */
import { vi } from 'vitest'
import type { Event } from '../../../worker/schemas'

const TRACKER = ['..', '..', '..', 'tracker', 'src', 'index.ts'].join('/')

export type Sent = { via: 'fetch' | 'beacon'; url: string; body: string; events: Event[] }
export type Reply = { status: number; headers?: Record<string, string> } | 'network-error'

export type Page = {
  storage: Record<string, string>
  sent: Sent[]
  /** What the next fetches answer, in order; then 202 for ever. */
  replies: Reply[]
  beaconAccepts: boolean
  navigator: { onLine: boolean; doNotTrack: string | null; globalPrivacyControl?: boolean }
  location: { pathname: string; search: string; hash: string }
  cookieWrites: string[]
  fire: (type: string) => void
  /**
   * Runs a fresh copy of the tracker and returns its `sw`: as the page after a navigation
   * (`navigate`, the default: the old page and its listeners are gone), as another tab beside
   * the open ones (`tab`), or as a second script tag on the same page (`same-page`).
   */
  loadTracker: (
    attrs?: Record<string, string>,
    mode?: 'navigate' | 'tab' | 'same-page',
  ) => Promise<Sw>
  /** Runs timers and the promises they start. */
  wait: (ms: number) => Promise<void>
  events: () => Event[]
}
export type Sw = (...args: unknown[]) => void

/**
 * `propagationMs`: give each tab its own copy of localStorage that hears of other tabs' writes
 * that late, as Chromium's renderers do; writes reach the shared store in the order made, and
 * a tab ignores news of a key it is itself still writing. Without it, tabs share one object.
 */
export function newPage({ propagationMs }: { propagationMs?: number } = {}): Page {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2026, 0, 5) })
  const views: { cache: Record<string, string | undefined>; pending: Map<string, number> }[] = []
  const openView = () => {
    const view = {
      cache: { ...page.storage } as Record<string, string | undefined>,
      pending: new Map(),
    }
    views.push(view)
    const write = (key: string, value: string | undefined) => {
      view.pending.set(key, (view.pending.get(key) ?? 0) + 1)
      setTimeout(() => {
        if (value === undefined) delete page.storage[key]
        else page.storage[key] = value
        view.pending.set(key, view.pending.get(key)! - 1)
        for (const other of views) {
          if (other == view || other.pending.get(key)) continue
          if (value === undefined) delete other.cache[key]
          else other.cache[key] = value
        }
      }, propagationMs)
    }
    return new Proxy(view.cache, {
      set: (t, key: string, value) => ((t[key] = String(value)), write(key, String(value)), true),
      deleteProperty: (t, key: string) => (delete t[key], write(key, undefined), true),
    })
  }
  const listeners = new Map<string, Set<(e: unknown) => void>>()
  const page: Page = {
    storage: {},
    sent: [],
    replies: [],
    beaconAccepts: true,
    navigator: { onLine: true, doNotTrack: null },
    location: { pathname: '/', search: '', hash: '' },
    cookieWrites: [],
    fire: (type) => listeners.get(type)?.forEach((f) => f({ type })),
    loadTracker: async (attrs = {}, mode = 'navigate') => {
      if (mode == 'navigate') listeners.clear()
      if (mode != 'same-page') delete (globalThis as { sw?: unknown }).sw
      if (propagationMs !== undefined) vi.stubGlobal('localStorage', openView())
      vi.resetModules()
      const script = {
        src: 'https://collector.example/t.js',
        dataset: { site: 'pk_test', ...attrs },
      }
      vi.stubGlobal('document', {
        currentScript: script,
        hidden: false,
        set cookie(v: string) {
          page.cookieWrites.push(v)
        },
      })
      // A computed specifier keeps the root type check (no DOM library) out of the tracker's code.
      await import(TRACKER)
      return (globalThis as unknown as { sw: Sw }).sw
    },
    wait: (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined),
    events: () => page.sent.flatMap((s) => s.events),
  }
  const record = (via: Sent['via'], url: unknown, body: string) =>
    page.sent.push({ via, url: String(url), body, events: JSON.parse(body).events })

  vi.stubGlobal('localStorage', page.storage)
  vi.stubGlobal('navigator', {
    get onLine() {
      return page.navigator.onLine
    },
    get doNotTrack() {
      return page.navigator.doNotTrack
    },
    get globalPrivacyControl() {
      return page.navigator.globalPrivacyControl
    },
    sendBeacon: (url: unknown, body: string) => {
      if (page.beaconAccepts) record('beacon', url, body)
      return page.beaconAccepts
    },
  })
  vi.stubGlobal('location', page.location)
  vi.stubGlobal('history', {
    pushState: (_: unknown, __: unknown, url: string) => setUrl(url),
    replaceState: (_: unknown, __: unknown, url: string) => setUrl(url),
  })
  const setUrl = (url: string) => {
    const u = new URL(url, 'https://bank.example' + page.location.pathname)
    Object.assign(page.location, { pathname: u.pathname, search: u.search, hash: u.hash })
  }
  vi.stubGlobal('addEventListener', (type: string, f: (e: unknown) => void) => {
    if (!listeners.has(type)) listeners.set(type, new Set())
    listeners.get(type)!.add(f)
  })
  vi.stubGlobal('fetch', async (url: unknown, init: RequestInit & { keepalive?: boolean }) => {
    const reply = page.replies.shift() ?? { status: 202 }
    if (reply == 'network-error') throw new TypeError('Failed to fetch')
    if (typeof init.body != 'string') throw new Error('the tracker must send a string body')
    if (!init.keepalive || init.method != 'POST') throw new Error('expected POST with keepalive')
    record('fetch', url, init.body)
    return new Response(null, { status: reply.status, headers: reply.headers })
  })
  vi.stubGlobal('window', globalThis)
  delete (globalThis as { sw?: unknown }).sw
  return page
}

export function closePage(): void {
  vi.restoreAllMocks()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  delete (globalThis as { sw?: unknown }).sw
}
