import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { closePage, newPage, type Page } from './support/tracker-page'

let page: Page
beforeEach(() => {
  page = newPage()
})
afterEach(closePage)

describe('sessions and ids', () => {
  it('keeps a session until 30 minutes pass without an event', async () => {
    const sw = await page.loadTracker()
    await page.wait(29 * 60_000)
    sw('conversion', 'still_here')
    await page.wait(31 * 60_000)
    sw('conversion', 'back_again')
    await page.wait(2000)
    const [pageview, still, back] = page.events()
    expect(still.sid).toBe(pageview.sid)
    expect(back.sid).not.toBe(pageview.sid)
    expect(back.uid).toBe(pageview.uid)
  })

  it('keeps the anonymous id in localStorage and sets no cookie', async () => {
    await page.loadTracker()
    await page.wait(2000)
    await page.loadTracker()
    await page.wait(2000)
    const [a, b] = page.events()
    expect(b.uid).toBe(a.uid)
    expect(Object.keys(page.storage).every((k) => k.startsWith('sw_'))).toBe(true)
    expect(page.cookieWrites).toEqual([])
  })

  it('draws ids again rather than make one the PII guard would redact', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValueOnce(0.123456789012)
    await page.loadTracker()
    await page.wait(2000)
    random.mockRestore()
    const [pageview] = page.events()
    for (const id of [pageview.id, pageview.uid, pageview.sid]) expect(id).not.toMatch(/\d{8}/)
  })
})

describe('privacy', () => {
  it('redacts card numbers, emails and IBANs before anything is queued', async () => {
    page.location.pathname = '/cards/4111111111111111'
    const sw = await page.loadTracker()
    sw('feature', 'budget_tracking', {
      name: 'export',
      props: { to: 'jane.doe@example.com', iban: 'DE89370400440532013000', note: 'ok' },
    })
    await page.wait(2000)
    const [pageview, feature] = page.events()
    expect(pageview.path).toBe('/cards/[redacted]')
    expect(feature.props).toEqual({ to: '[redacted]', iban: '[redacted]', note: 'ok' })
    expect(JSON.stringify(page.storage)).not.toContain('jane.doe')
  })

  it('redacts card numbers however they are grouped, and lower-case IBANs whole', async () => {
    const sw = await page.loadTracker()
    const cards = {
      dots: '4000.0566.5566.5556',
      underscores: '4000_0566_5566_5556',
      slashes: '4000/0566/5566/5556',
      spaces: 'paid 4000  0566  5566  5556 ok',
      amex: '3782 822463 10005',
      iban: 'to gb82west12345698765432',
    }
    sw('feature', 'budget_tracking', { props: { ...cards, date: '2026-12-03/2026-12-04' } })
    await page.wait(2000)
    expect(page.events()[1].props).toEqual({
      dots: '[redacted]',
      underscores: '[redacted]',
      slashes: '[redacted]',
      spaces: 'paid [redacted] ok',
      amex: '[redacted]',
      iban: 'to [redacted]',
      date: '2026-12-03/2026-12-04',
    })
  })

  it.each([
    ['Do-Not-Track', (p: Page) => (p.navigator.doNotTrack = '1')],
    ['Global Privacy Control', (p: Page) => (p.navigator.globalPrivacyControl = true)],
  ])('sends and stores nothing under %s', async (_, set) => {
    set(page)
    const sw = await page.loadTracker()
    sw('feature', 'budget_tracking')
    page.fire('pagehide')
    await page.wait(5000)
    expect(page.sent).toEqual([])
    expect(page.storage).toEqual({})
  })

  it('forgets everything on consent false, remembers it, and sends nothing more', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'connect')
    sw('consent', false)
    sw('feature', 'budget_tracking')
    page.fire('pagehide')
    await page.wait(5000)
    expect(page.sent).toEqual([])
    expect(page.storage).toEqual({ sw_off: '1' })
    const next = await page.loadTracker()
    next('feature', 'budget_tracking')
    next('step', 'account_linking', 'connect')
    await page.wait(5000)
    expect(page.sent).toEqual([])
    expect(page.storage).toEqual({ sw_off: '1' })
  })

  it('tracks again after consent true', async () => {
    const sw = await page.loadTracker()
    sw('consent', false)
    sw('consent', true)
    sw('conversion', 'opted_in')
    await page.wait(2000)
    expect(page.events().map((e) => e.type)).toEqual(['conversion'])
  })
})
