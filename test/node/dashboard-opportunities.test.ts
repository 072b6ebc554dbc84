/**
 * The Opportunities view in headless Chromium on the demo bank (issue 15): the top ones as
 * cards, the rest in closed groups by kind, a kind filter kept in the URL, the union total and
 * each card's ROI, benchmark and overlaps as the API answers them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { OpportunitiesResponse } from '../../dashboard/src/api/types'
import { formatMoney, formatNumber, humanize } from '../../dashboard/src/lib/format'
import { settle, shot, startDashboard, textOf, type Dashboard } from './dashboard-page'

const Q = { period: '7d', limit: '100' }
let d: Dashboard
let a: OpportunitiesResponse

beforeAll(async () => {
  d = await startDashboard()
  a = await d.api<OpportunitiesResponse>('/opportunities', Q)
}, 360_000)
afterAll(() => d?.stop())
afterEach(() => expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([]))

const card = (id: string) => `article[aria-labelledby="op-${id}"]`

describe('Opportunities view', () => {
  it('shows the top ones, then the rest grouped by kind and collapsed', async () => {
    await d.open('/opportunities?period=7d')
    const top = a.opportunities.filter((o) => o.top)
    const rest = a.opportunities.filter((o) => !o.top)
    expect(top.length).toBeGreaterThan(0)
    expect(top.length).toBeLessThanOrEqual(a.top_rule.max)
    expect(rest.length).toBeGreaterThan(0)
    const topCards = d.page.locator('ol.top-opportunities > li > article.opportunity')
    expect(await topCards.count()).toBe(top.length)
    for (const [i, o] of top.entries()) {
      const text = await topCards.nth(i).innerText()
      expect(text).toContain(`#${a.opportunities.indexOf(o) + 1}`)
      expect(text).toContain(o.title)
    }
    expect(await textOf(d.page, '.cut-off')).toContain(`The top ${top.length}`)

    const kinds = [...new Set(rest.map((o) => o.kind))]
    const groups = d.page.locator('details.opportunity-group')
    expect(await groups.count()).toBe(kinds.length)
    for (const [i, kind] of kinds.entries()) {
      const group = groups.nth(i)
      const mine = rest.filter((o) => o.kind === kind)
      expect(await group.getAttribute('data-kind')).toBe(kind)
      expect(await group.getAttribute('open')).toBeNull()
      const summary = await group.locator(':scope > summary').innerText()
      expect(summary).toContain(`${humanize(kind)}: ${mine.length}`)
      expect(summary).toContain(`best #${a.opportunities.indexOf(mine[0]) + 1}`)
      expect(await group.locator(card(mine[0].id)).isVisible()).toBe(false)
    }
    // The whole page is the top cards and one line per group: it reads in one screen or so.
    const height = await d.page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } })
          .document.documentElement.scrollHeight,
    )
    expect(height).toBeLessThan(900 * 4)

    const first = groups.first()
    await first.locator(':scope > summary').click()
    const firstOfGroup = rest.find((o) => o.kind === kinds[0])!
    await d.page.locator(card(firstOfGroup.id)).waitFor()
    expect(await d.page.locator(card(firstOfGroup.id)).innerText()).toContain(firstOfGroup.title)
    await shot(d.page, 'opportunities-grouped')
  })

  it('totals each lost user once and shows ROI, benchmark and overlaps on the cards', async () => {
    await d.open('/opportunities?period=7d')
    const kpis = await textOf(d.page, '.kpis')
    expect(kpis).toContain(formatMoney(a.total.revenue_per_month))
    const sum = a.opportunities.reduce((s, o) => s + o.improvement_potential.revenue_per_month, 0)
    expect(a.total.revenue_per_month).toBeCloseTo(sum, 0)
    const costs = await textOf(d.page, '.cost-assumptions')
    expect(costs).toContain(formatMoney(a.cost_assumptions.engineer_week_cost))
    const [o] = a.opportunities
    const text = await d.page.locator(card(o.id)).innerText()
    expect(text).toContain(
      o.improvement_potential.revenue_per_month > 0 ? `${formatNumber(o.roi, 1)}×` : 'no revenue',
    )
    expect(text).toContain(formatMoney(o.cost.amount))
    if (o.benchmark) expect(text).toContain(o.benchmark.source)
    const shared = a.opportunities.find((x) => x.top && x.overlaps.length)
    if (shared) {
      const t = await d.page.locator(card(shared.id)).innerText()
      expect(t).toContain(`with #${shared.overlaps[0].rank}`)
    }
  })

  it('filters by kind, in the URL, so the filtered list can be shared and reloaded', async () => {
    await d.open('/opportunities?period=7d')
    const kind = a.opportunities.find((o) => !o.top)!.kind
    const mine = a.opportunities.filter((o) => o.kind === kind)
    await d.page.selectOption('#view-kind', kind)
    await settle(d.page)
    expect(new URL(d.page.url()).searchParams.get('kind')).toBe(kind)
    const check = async () => {
      const cards = d.page.locator('article.opportunity')
      expect(await cards.count()).toBe(mine.length)
      for (const [i, o] of mine.entries()) {
        expect(await cards.nth(i).innerText()).toContain(o.title)
        expect(await cards.nth(i).isVisible()).toBe(true)
      }
      expect(await d.page.locator('details.opportunity-group').count()).toBe(0)
    }
    await check()
    await d.page.reload()
    await settle(d.page)
    expect(await d.page.locator('#view-kind').inputValue()).toBe(kind)
    await check()
    await shot(d.page, 'opportunities-kind')
    await d.page.selectOption('#view-kind', '')
    await settle(d.page)
    expect(new URL(d.page.url()).searchParams.has('kind')).toBe(false)
    expect(await d.page.locator('article.opportunity').count()).toBe(a.opportunities.length)
  })
})
