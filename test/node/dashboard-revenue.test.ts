/**
 * The Revenue view (issue 10, DESIGN §7.9) in headless Chromium on the demo bank with six months
 * of subscription history (brought in through the import): MRR per month with its movements as
 * a chart and a table, the eight metric cards with their definitions, upgrade conversion by
 * feature with intervals, paying-user cohorts and the revenue levers, each as the API answers
 * them; a number the API answers with null shows "–" and says why; a phone shows it without
 * sideways scrolling.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RevenueLeversResponse, RevenueResponse } from '../../dashboard/src/api/types'
import { HOSTILE } from './dashboard-data'
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  humanize,
  NONE,
} from '../../dashboard/src/lib/format'
import {
  pageWidth,
  rowOf,
  shot,
  startDashboard,
  tableRows,
  textOf,
  type Dashboard,
} from './dashboard-page'

const Q = { period: '365d' }
let d: Dashboard
let a: RevenueResponse
let levers: RevenueLeversResponse

beforeAll(async () => {
  // 400 users: enough customers in each tier for a lever to clear min_sample (30).
  d = await startDashboard({ seed: { historyDays: 180, users: 400 } })
  a = await d.api<RevenueResponse>('/revenue', Q)
  levers = await d.api<RevenueLeversResponse>('/revenue/recommendations', Q)
}, 600_000)
afterAll(() => d?.stop())
afterEach(() => expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([]))

const money = (x: number | null) => formatMoney(x, a.currency)

/** The body rows of the table with this caption, as trimmed cell texts. */
async function captionRows(p: Page, caption: string): Promise<string[][]> {
  const rows = await p.locator(`table:has(caption:text-is("${caption}")) tbody tr`).allInnerTexts()
  return rows.map((r) => r.split('\t').map((c) => c.trim()))
}
const interval = (i: [number, number] | null) =>
  i ? `${formatPoints(i[0]).replace(' pp', '')} to ${formatPoints(i[1])}` : NONE

describe('Revenue view', () => {
  it('shows MRR per month with its five movements, as a chart and a table', async () => {
    await d.open('/revenue?period=365d')
    const paid = a.months.filter((m) => m.mrr > 0)
    expect(paid.length).toBeGreaterThanOrEqual(6)
    expect(a.mrr).toBeGreaterThan(0)
    const kpis = await textOf(d.page, '.revenue-kpis')
    expect(kpis).toContain(money(a.mrr))
    expect(kpis).toContain(`since ${money(a.mrr_start)}`)
    for (const k of ['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const) {
      expect(kpis).toContain(`${humanize(k)}\n${money(a.movements[k])}`)
    }

    // The chart: uPlot's canvas, a legend naming the five movements and MRR.
    await d.page.locator('.mrr-chart canvas').first().waitFor()
    const legend = await d.page.locator('.mrr-chart .u-legend').innerText()
    for (const name of ['New', 'Expansion', 'Reactivation', 'Contraction', 'Churn', 'MRR']) {
      expect(legend).toContain(name)
    }
    const label = await d.page.locator('.mrr-chart').getAttribute('aria-label')
    expect(label).toContain(`over ${a.months.length} months`)

    const rows = await captionRows(d.page, 'MRR movements per month')
    expect(rows.map((r) => r[0])).toEqual(a.months.map((m) => m.month))
    let expansion = 0
    for (const m of a.months) {
      expect(rowOf(rows, m.month).slice(1)).toEqual(
        [m.new, m.expansion, m.reactivation, m.contraction, m.churn, m.net_change, m.mrr].map(
          money,
        ),
      )
      // The movements the table shows add up to the month's change in MRR (to the cent).
      const sum = m.new + m.expansion + m.reactivation + m.contraction + m.churn
      expect(Math.round(sum * 100)).toBe(Math.round((m.mrr - m.mrr_start) * 100))
      expansion += m.expansion
    }
    expect(expansion).toBeGreaterThan(0)
    await shot(d.page, 'revenue')
  })

  it('shows the eight metrics as cards, each with its definition on hover', async () => {
    await d.open('/revenue?period=365d')
    const cards = d.page.locator('.metric-cards .metric')
    expect(await cards.count()).toBe(8)
    const m = a.metrics
    const expected: [string, string][] = [
      ['Subscription upgrades', formatCount(m.subscription_upgrades.count)],
      ['Feature adoption (paying)', formatPercent(m.feature_adoption.features[0]?.adoption)],
      ['Paying-user retention', ''],
      ['Lifetime value', money(m.customer_lifetime_value.ltv)],
      ['Customer churn', formatPercent(m.churn_rate.customer)],
      ['ARPU / ARPPU', `${money(m.revenue_per_user.arpu)} / ${money(m.revenue_per_user.arppu)}`],
      ['Upgrade conversion', formatPercent(m.upgrade_conversion.rate)],
      ['Feature revenue', ''],
    ]
    // Month-1 retention pooled over the cohorts that have a month 1, written out here.
    const old = m.user_retention.cohorts.filter((c) => c.retained.length > 1)
    const size = old.reduce((s, c) => s + c.size, 0)
    expected[2][1] = formatPercent(old.reduce((s, c) => s + c.retained[1], 0) / size)
    const best = Math.max(...m.feature_revenue.features.map((f) => f.first_touch))
    expected[7][1] = money(best)
    for (const [i, [label, value]] of expected.entries()) {
      const card = cards.nth(i)
      expect(await card.locator('.kpi-label').innerText()).toBe(label)
      expect(await card.locator('.kpi-value').innerText()).toBe(value)
      expect((await card.getAttribute('title'))!.length).toBeGreaterThan(40)
    }
    // The year begins before the first subscription: no MRR at its start, no MRR churn rate.
    expect(a.mrr_start).toBe(0)
    expect(m.churn_rate.gross_mrr).toBeNull()
    expect(await cards.nth(4).locator('.kpi-hint').innerText()).toBe(
      'MRR churn –: no MRR at the start',
    )
    expect(await cards.nth(4).getAttribute('title')).toContain("Stripe's")
  })

  it('compares upgrade conversion of each feature’s users and non-users with intervals', async () => {
    await d.open('/revenue?period=365d')
    const c = a.metrics.upgrade_conversion
    expect(c.features.length).toBeGreaterThan(3)
    expect(
      await textOf(d.page, 'section.panel:has(h2:text-is("Upgrade conversion by feature")) p'),
    ).toContain(
      `${formatCount(c.converted)} of ${formatCount(c.n)} free users started paying (${formatPercent(c.rate)})`,
    )
    const rows = await tableRows(d.page, 'Upgrade conversion by feature')
    expect(rows.map((r) => r[0])).toEqual(c.features.map((f) => humanize(f.feature)))
    for (const f of c.features) {
      expect(rowOf(rows, humanize(f.feature)).slice(1)).toEqual([
        `${formatPercent(f.users.rate)} (${f.users.converted}/${f.users.n})`,
        `${formatPercent(f.non_users.rate)} (${f.non_users.converted}/${f.non_users.n})`,
        formatPoints(f.difference),
        interval(f.interval),
        f.lift === null ? NONE : `${formatNumber(f.lift, 2)}×`,
      ])
    }
    expect(c.features.some((f) => f.interval !== null)).toBe(true)
  })

  it('shows paying-user retention by monthly cohort', async () => {
    await d.open('/revenue?period=365d')
    const cohorts = a.metrics.user_retention.cohorts
    expect(cohorts.length).toBeGreaterThanOrEqual(6)
    const rows = await tableRows(d.page, 'Paying-user retention')
    expect(rows.map((r) => r[0])).toEqual(cohorts.map((c) => c.cohort))
    const width = Math.max(...cohorts.map((c) => c.rates.length))
    for (const c of cohorts) {
      const row = rowOf(rows, c.cohort)
      expect(row[1]).toBe(formatCount(c.size))
      expect(row.slice(2, 2 + c.rates.length)).toEqual(c.rates.map((r) => formatPercent(r)))
      // Months the cohort has not reached yet are blank, not 0%.
      expect(row.slice(2 + c.rates.length).every((x) => x === '')).toBe(true)
      expect(row.length).toBeLessThanOrEqual(2 + width)
    }
  })

  it('lists the revenue levers by monthly value with their evidence', async () => {
    await d.open('/revenue?period=365d')
    expect(levers.levers.length).toBeGreaterThan(0)
    const cards = d.page.locator('article.lever')
    expect(await cards.count()).toBe(levers.levers.length)
    for (const [i, l] of levers.levers.entries()) {
      const card = cards.nth(i)
      const text = await card.innerText()
      expect(text).toContain(`#${i + 1}`)
      expect(text).toContain(l.title)
      expect(text).toContain(l.sentence)
      expect(text).toContain(`${formatMoney(l.monthly_value, levers.currency)} / month`)
      await card.locator('summary').click()
      const facts = await card.locator('dl.facts').innerText()
      for (const key of Object.keys(l.evidence)) expect(facts).toContain(humanize(key))
    }
  })

  it('shows "–" with the reason where the API has no number', async () => {
    // The hostile tier's one customer is active and never paid: no customers, no churn, no
    // ARPPU, and every free user of the tier used the features they used — nobody to compare.
    const tier = encodeURIComponent(HOSTILE)
    await d.open(`/revenue?period=365d&tier=${tier}`)
    const f = await d.api<RevenueResponse>('/revenue', { ...Q, tier: HOSTILE })
    const m = f.metrics
    expect(m.churn_rate.customer).toBeNull()
    expect(m.customer_lifetime_value.ltv).toBeNull()
    expect(m.revenue_per_user.arppu).toBeNull()
    expect(m.upgrade_conversion.n).toBeGreaterThan(0)
    expect(await textOf(d.page, '.no-subscriptions')).toContain('No subscriptions in this period')
    const card = (label: string) =>
      d.page
        .locator('.metric-cards .metric')
        .filter({ has: d.page.locator(`.kpi-label:text-is("${label}")`) })
    expect(await card('Customer churn').locator('.kpi-value').innerText()).toBe(NONE)
    expect(await card('Customer churn').locator('.kpi-hint').innerText()).toBe(
      'no customers at the start and none started',
    )
    expect(await card('Lifetime value').locator('.kpi-value').innerText()).toBe(NONE)
    expect(await card('Lifetime value').locator('.kpi-hint').innerText()).toBe(
      'nobody paid in the trailing 6 months',
    )
    expect(await card('ARPU / ARPPU').locator('.kpi-value').innerText()).toContain(`/ ${NONE}`)
    expect(await card('ARPU / ARPPU').locator('.kpi-hint').innerText()).toBe(
      'quick ratio –: no contraction or churn',
    )

    const features = m.upgrade_conversion.features
    expect(features.length).toBeGreaterThan(0)
    const rows = await tableRows(d.page, 'Upgrade conversion by feature')
    for (const x of features) {
      expect(x.non_users.n).toBe(0)
      expect([x.difference, x.interval, x.lift]).toEqual([null, null, null])
      expect(rowOf(rows, humanize(x.feature)).slice(2)).toEqual([`${NONE} (0/0)`, NONE, NONE, NONE])
    }
    const why = d.page.locator(
      'section.panel:has(h2:text-is("Upgrade conversion by feature")) tbody .why',
    )
    expect(await why.count()).toBe(features.length * 3)
    for (const t of await why.evaluateAll((els) => els.map((e) => e.getAttribute('title')))) {
      expect(t).toBe('every free user used it: no one to compare with')
    }
    await shot(d.page, 'revenue-null')
  })

  it('offers the last 12 months when the period is too short for months', async () => {
    await d.open('/revenue?period=30d')
    await d.page.locator('a.longer-period').click()
    await d.page.waitForURL(/\/revenue\?period=365d$/)
    // The 30-day answer's chart and table stay on screen until the 365-day answer arrives.
    await expect
      .poll(async () => (await captionRows(d.page, 'MRR movements per month')).map((r) => r[0]))
      .toEqual(a.months.map((m) => m.month))
    expect(await d.page.locator('a.longer-period').count()).toBe(0)
  })
})

describe('a 375 px wide phone', () => {
  it('shows Revenue without sideways scrolling of the page', async () => {
    const p = await d.newPage({ width: 375, height: 812 })
    await d.open(`/revenue?period=365d#key=${d.site.read}`, p)
    await d.open('/revenue?period=365d', p)
    await p.locator('.mrr-chart canvas').first().waitFor()
    expect(await pageWidth(p)).toBeLessThanOrEqual(375)
    await shot(p, '375-revenue')
    await p.close()
  })
})
