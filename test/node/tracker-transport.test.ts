import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { closePage, newPage, type Page } from './support/tracker-page'

let page: Page
beforeEach(() => {
  page = newPage()
})
afterEach(closePage)

const conversions = (sw: (...a: unknown[]) => void, n: number, from = 0) => {
  for (let i = from; i < from + n; i++) sw('conversion', `c${i}`)
}
const names = (p: Page) => p.events().flatMap((e) => (e.name ? [e.name] : []))

describe('batching', () => {
  it('waits 2 s to send a batch', async () => {
    const sw = await page.loadTracker()
    sw('conversion', 'one')
    await page.wait(1900)
    expect(page.sent).toHaveLength(0)
    await page.wait(100)
    expect(page.sent).toHaveLength(1)
    expect(page.sent[0]).toMatchObject({ via: 'fetch', url: 'https://collector.example/v1/events' })
    expect(JSON.parse(page.sent[0].body).site).toBe('pk_test')
  })

  it('sends at once when 20 events are waiting', async () => {
    const sw = await page.loadTracker()
    conversions(sw, 19)
    await page.wait(0)
    expect(page.sent).toHaveLength(1)
    expect(page.sent[0].events).toHaveLength(20)
  })

  it('sends to the endpoint named by data-api', async () => {
    await page.loadTracker({ api: 'https://stats.bank.example/collect' })
    await page.wait(2000)
    expect(page.sent[0].url).toBe('https://stats.bank.example/collect')
  })

  it('keeps each body under 20,000 characters, whatever the events hold', async () => {
    const sw = await page.loadTracker()
    const props = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(250)]),
    )
    for (let i = 0; i < 30; i++) sw('feature', 'budget_tracking', { props })
    await page.wait(10_000)
    expect(page.events()).toHaveLength(31)
    for (const s of page.sent) expect(s.body.length).toBeLessThan(20_000)
  })
})

describe('retries', () => {
  it('tries again after a network error, with jittered exponential backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    page.replies.push('network-error', 'network-error', { status: 202 })
    await page.loadTracker()
    await page.wait(2000) // first try fails; next in 2 s × 0.75
    await page.wait(1499)
    expect(page.sent).toHaveLength(0)
    await page.wait(1) // second try fails; next in 4 s × 0.75
    await page.wait(2999)
    expect(page.sent).toHaveLength(0)
    await page.wait(1)
    expect(page.events().map((e) => e.type)).toEqual(['page'])
  })

  it('sends a batch once more after a 500, and then no more', async () => {
    page.replies.push({ status: 500 })
    await page.loadTracker()
    await page.wait(60_000)
    expect(page.sent.map((s) => s.events[0].type)).toEqual(['page', 'page'])
  })

  it.each([408, 429])('retries after a %i', async (status) => {
    page.replies.push({ status })
    await page.loadTracker()
    await page.wait(60_000)
    expect(page.sent).toHaveLength(2)
  })

  it.each([400, 403, 413])('drops a batch answered %i instead of retrying it', async (status) => {
    page.replies.push({ status })
    await page.loadTracker()
    await page.wait(60_000)
    expect(page.sent).toHaveLength(1)
    expect(Object.keys(page.storage).filter((k) => k.startsWith('sw_q'))).toEqual([])
  })

  it('holds off as long as Retry-After says', async () => {
    page.replies.push({ status: 429, headers: { 'Retry-After': '30' } })
    const sw = await page.loadTracker()
    await page.wait(2000)
    sw('conversion', 'meanwhile')
    await page.wait(29_900)
    expect(page.sent).toHaveLength(1)
    await page.wait(100)
    expect(page.sent).toHaveLength(2)
    expect(page.sent[1].events.map((e) => e.type)).toEqual(['page', 'conversion'])
  })
})

describe('offline and leaving', () => {
  it('keeps events while offline and sends them once back online', async () => {
    page.navigator.onLine = false
    const sw = await page.loadTracker()
    sw('conversion', 'offline_one')
    await page.wait(10_000)
    expect(page.sent).toHaveLength(0)
    page.navigator.onLine = true
    page.fire('online')
    await page.wait(0)
    expect(page.events().map((e) => e.type)).toEqual(['page', 'conversion'])
    await page.wait(60_000)
    expect(page.sent).toHaveLength(1)
  })

  it('sends what is waiting by beacon when the page is hidden or left', async () => {
    const sw = await page.loadTracker()
    sw('conversion', 'clicked_away')
    page.fire('pagehide')
    expect(page.sent).toMatchObject([{ via: 'beacon' }])
    expect(names(page)).toEqual(['clicked_away'])
    await page.wait(60_000)
    expect(page.sent).toHaveLength(1)
  })

  it('leaves what it could not send for the next visit, which sends it', async () => {
    page.navigator.onLine = false
    const sw = await page.loadTracker()
    sw('conversion', 'left_offline')
    page.fire('pagehide')
    page.navigator.onLine = true
    await page.loadTracker()
    await page.wait(3000)
    expect(names(page)).toEqual(['left_offline'])
    expect(page.events().filter((e) => e.type == 'page')).toHaveLength(2)
  })

  it('keeps at most 500 events, the newest', async () => {
    page.navigator.onLine = false
    const sw = await page.loadTracker()
    conversions(sw, 510)
    await page.wait(0)
    expect(JSON.parse(Object.values(page.storage).find((v) => v.includes('"q"'))!).q).toHaveLength(
      500,
    )
    page.navigator.onLine = true
    page.fire('online')
    await page.wait(60_000)
    const kept = page.events().filter((e) => e.type == 'conversion')
    expect(kept).toHaveLength(500)
    expect(kept[0].name).toBe('c10')
  })
})

describe('tabs', () => {
  it('sends each event from the tab that made it, once', async () => {
    const a = await page.loadTracker()
    const b = await page.loadTracker({}, 'tab')
    conversions(a, 3, 0)
    conversions(b, 3, 3)
    await page.wait(60_000)
    expect(names(page).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'])
  })

  it('lets exactly one of two tabs adopt a queue a closed tab left behind', async () => {
    page.navigator.onLine = false
    const gone = await page.loadTracker()
    conversions(gone, 2)
    page.fire('pagehide')
    page.navigator.onLine = true
    await page.loadTracker()
    await page.loadTracker({}, 'tab')
    await page.wait(60_000)
    expect(names(page)).toEqual(['c0', 'c1'])
  })

  it('lets exactly one of two racing tabs adopt a queue, though localStorage reaches them late', async () => {
    closePage()
    page = newPage({ propagationMs: 5 })
    page.navigator.onLine = false
    const gone = await page.loadTracker()
    conversions(gone, 2)
    page.fire('pagehide')
    await page.loadTracker() // the closed tab's page is gone; this tab and the next are open
    await page.loadTracker({}, 'tab')
    await page.wait(10)
    page.navigator.onLine = true
    page.fire('online') // both look for left queues at the same instant
    await page.wait(60_000)
    const ids = page.events().map((e) => e.id)
    expect(names(page).sort()).toEqual(['c0', 'c1'])
    expect(ids).toHaveLength(5)
    expect(new Set(ids).size).toBe(5)
  })

  it('does not adopt the queue of a tab that is still alive', async () => {
    page.replies.push('network-error', 'network-error', 'network-error')
    const a = await page.loadTracker()
    conversions(a, 2)
    await page.wait(2500)
    await page.loadTracker({}, 'tab')
    await page.wait(60_000)
    expect(names(page)).toEqual(['c0', 'c1'])
  })
})

describe('after pagehide', () => {
  const record = (p: Page) =>
    JSON.parse(Object.values(p.storage).find((v) => v.includes('"q"')) ?? 'null')

  it('sends an event made after pagehide by beacon at once', async () => {
    const sw = await page.loadTracker()
    await page.wait(2000)
    page.fire('pagehide')
    sw('abandon', 'x', 'closed') // dropped: no run open
    sw('conversion', 'late')
    expect(page.sent.map((s) => s.via)).toEqual(['fetch', 'beacon'])
    expect(names(page)).toEqual(['late'])
  })

  it('keeps the record marked as left whatever is written last, for the next page to send at once', async () => {
    page.beaconAccepts = false
    const sw = await page.loadTracker()
    sw('conversion', 'refused')
    page.fire('pagehide')
    sw('conversion', 'after')
    await page.wait(0)
    expect(record(page)).toMatchObject({ t: false })
    page.beaconAccepts = true
    await page.loadTracker()
    await page.wait(3000)
    expect(names(page).sort()).toEqual(['after', 'refused'])
  })

  it('beacons only what the fetch that is out does not carry', async () => {
    let answer: (r: Response) => void = () => {}
    const sw = await page.loadTracker()
    const real = globalThis.fetch
    vi.stubGlobal('fetch', (url: unknown, init: RequestInit) => {
      page.sent.push({
        via: 'fetch',
        url: String(url),
        body: String(init.body),
        events: JSON.parse(String(init.body)).events,
      })
      return new Promise<Response>((r) => (answer = r))
    })
    await page.wait(2000)
    sw('conversion', 'while_out')
    page.fire('pagehide')
    expect(page.sent.map((s) => [s.via, s.events.map((e) => e.name ?? e.type)])).toEqual([
      ['fetch', ['page']],
      ['beacon', ['while_out']],
    ])
    answer(new Response(null, { status: 202 }))
    await page.wait(0)
    expect(record(page)).toBeNull()
    vi.stubGlobal('fetch', real)
  })
})
