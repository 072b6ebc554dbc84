/**
 * Every view of the dashboard, in headless Chromium against `wrangler dev` with the demo bank,
 * shows the numbers the API answers for the same query. One screenshot per view.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  DashboardResponse,
  DropoffsResponse,
  FeatureValueResponse,
  JourneysResponse,
  LiveResponse,
  OpportunitiesResponse,
  RetentionResponse,
  RevenueResponse,
  WorkflowResponse,
  WorkflowsResponse,
} from '../../dashboard/src/api/types'
import {
  formatCount,
  formatDay,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  formatScore,
  humanize,
  NONE,
} from '../../dashboard/src/lib/format'
import { flowInput } from '../../dashboard/src/lib/sankey-data'
import { HOSTILE } from './dashboard-data'
import { rowOf, shot, startDashboard, tableRows, textOf, type Dashboard } from './dashboard-page'

const Q = { period: '7d' }
let d: Dashboard

beforeAll(async () => {
  d = await startDashboard()
}, 360_000)
afterAll(() => d?.stop())
afterEach(() => expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([]))

describe('dashboard views', () => {
  it('Overview shows the KPIs, live users, opportunities and drop-offs the API returns', async () => {
    await d.open('/?period=7d')
    const a = await d.api<DashboardResponse>('/dashboard', Q)
    expect(a.kpis.events).toBeGreaterThan(0)
    const kpis = await textOf(d.page, '.kpis')
    for (const v of [
      formatCount(a.kpis.active_users),
      formatCount(a.kpis.sessions),
      formatCount(a.kpis.events),
      formatMoney(a.kpis.revenue),
      formatPercent(a.kpis.workflow_completion_rate),
      formatPercent(a.kpis.connection_success_rate),
    ]) {
      expect(kpis).toContain(v)
    }
    // MRR and its change since the period's first day, as /revenue answers them.
    const revenue = await d.api<RevenueResponse>('/revenue', Q)
    expect([a.kpis.mrr_start, a.kpis.mrr]).toEqual([revenue.mrr_start, revenue.mrr])
    const change = a.kpis.mrr_change
    const sign = change > 0 ? '+' : change < 0 ? '−' : '±'
    expect(kpis).toContain(
      `MRR\n${formatMoney(a.kpis.mrr)}\n${sign}${formatMoney(Math.abs(change))} since ${formatDay(a.period.from)}`,
    )
    const live = await d.api<LiveResponse>('/live')
    expect(await textOf(d.page, '.kpi.live .kpi-value')).toBe(formatCount(live.active_users))
    const titles = await d.page.locator('.opportunity h3').allInnerTexts()
    expect(titles).toEqual(a.top_opportunities.map((o) => o.title))
    const drops = await tableRows(d.page, 'Worst drop-offs')
    expect(drops.map((r) => r.slice(3, 5))).toEqual(
      a.worst_dropoffs.map((p) => [formatCount(p.entered), formatCount(p.dropped)]),
    )
    await d.page.locator('.chart canvas').first().waitFor()
    await shot(d.page, 'overview')
  })

  it('Features shows value scores and every component by tier, sortable', async () => {
    await d.open('/features?period=7d')
    const a = await d.api<FeatureValueResponse>('/features/value', Q)
    const tiers = Object.keys(a.tiers).filter((t) => a.tiers[t].features.length)
    expect(await d.page.getByRole('tab').allInnerTexts()).toEqual(tiers)
    const premium = a.tiers.premium
    await d.page.getByRole('tab', { name: 'premium' }).click()
    const rows = await tableRows(d.page, 'All components')
    expect(rows.map((r) => r[0])).toEqual(premium.features.map((f) => humanize(f.feature)))
    for (const f of premium.features) {
      expect(rowOf(rows, humanize(f.feature)).slice(1)).toEqual([
        formatScore(f.value_score),
        formatCount(f.usage_count),
        formatCount(f.unique_users),
        formatPercent(f.adoption),
        formatDuration(f.time_spent_s),
        formatPercent(f.success_rate),
        formatNumber(f.satisfaction, 2),
        formatMoney(f.revenue_impact),
        formatPoints(f.retention_impact),
      ])
    }
    expect(await textOf(d.page, '.kpis')).toContain(formatScore(premium.average_value_score))
    await shot(d.page, 'features')

    await d.page.getByRole('button', { name: 'Adoption', exact: true }).click()
    expect(d.page.url()).toContain('sort=-adoption')
    const byAdoption = [...premium.features].sort((x, y) => (y.adoption ?? -1) - (x.adoption ?? -1))
    expect((await tableRows(d.page, 'All components')).map((r) => r[4])).toEqual(
      byAdoption.map((f) => formatPercent(f.adoption)),
    )
  })

  it('Workflows lists every workflow and opens one as funnel bars with reasons and paths', async () => {
    await d.open('/workflows?period=7d')
    const list = await d.api<WorkflowsResponse>('/workflows', Q)
    const rows = await tableRows(d.page, 'All workflows')
    for (const w of list.workflows) {
      expect(rowOf(rows, humanize(w.name)).slice(2, 5)).toEqual([
        formatCount(w.started),
        formatCount(w.completed),
        formatPercent(w.completion_rate),
      ])
    }
    await shot(d.page, 'workflows')

    await d.page.getByRole('link', { name: 'Account linking', exact: true }).click()
    await d.page.waitForURL(/\/workflows\/account_linking\?period=7d$/)
    await d.page.locator('ol.funnel').waitFor()
    const a = await d.api<WorkflowResponse>('/workflows/account_linking', Q)
    const bars = await d.page.locator('ol.funnel > li').allInnerTexts()
    expect(bars).toHaveLength(a.workflow.steps.length)
    a.workflow.steps.forEach((s, i) => {
      expect(bars[i]).toContain(s.step)
      expect(bars[i]).toContain(formatCount(s.reached))
      if (s.conversion_to_next !== null) {
        expect(bars[i]).toContain(
          `${formatDuration(s.median_s)} median · ${formatDuration(s.p90_s)} p90`,
        )
      }
      for (const r of s.reasons)
        expect(bars[i]).toContain(`${r.reason} ${formatPercent(r.share, 0)}`)
    })
    // The loop above is not vacuous: verify has reasons. Which reason leads is the demo's
    // story, tested on a large sample in demo-data.test.ts; 120 users over 6 days are too few
    // to fix it (CI saw invalid_code lead mfa_timeout).
    expect(a.workflow.steps.find((s) => s.step === 'verify')!.reasons.length).toBeGreaterThan(0)
    const paths = await tableRows(d.page, 'Common paths')
    expect(paths.map((r) => r[0])).toEqual(a.workflow.common_paths.map((p) => p.path.join(' › ')))
    const tiers = await tableRows(d.page, 'By tier')
    for (const [tier, o] of Object.entries(a.workflow.breakdown.tier)) {
      expect(rowOf(tiers, tier).slice(1, 3)).toEqual([
        formatCount(o.started),
        formatCount(o.completed),
      ])
    }
    expect(tiers.map((r) => r[0])).toContain(HOSTILE)
    await shot(d.page, 'workflow-detail')
  })

  it('Drop-offs shows every type and point with priority and reasons', async () => {
    await d.open('/dropoffs?period=7d')
    const a = await d.api<DropoffsResponse>('/dropoffs', { ...Q, limit: '200' })
    const types = await tableRows(d.page, 'By type')
    expect(types).toHaveLength(7)
    for (const [type, s] of Object.entries(a.types)) {
      const row = rowOf(types, humanize(type))
      expect(row.slice(2, 5)).toEqual([
        formatCount(s.entered),
        formatCount(s.dropped),
        formatPercent(s.drop_rate),
      ])
      if (s.entered) expect(row[1].toLowerCase()).toBe(s.priority)
    }
    const points = await tableRows(d.page, 'Drop-off points')
    const place = (p: (typeof a.points)[number]) =>
      p.workflow ? `${humanize(p.workflow)} › ${p.step}` : humanize(p.feature ?? '')
    expect(points.map((r) => [r[0], r[2].toLowerCase(), r[3], r[4]])).toEqual(
      a.points.map((p) => [place(p), p.priority, formatCount(p.entered), formatCount(p.dropped)]),
    )
    await shot(d.page, 'dropoffs')
  })

  it('Opportunities shows a card for every opportunity the API returns, ranked', async () => {
    await d.open('/opportunities?period=7d')
    const a = await d.api<OpportunitiesResponse>('/opportunities', { ...Q, limit: '100' })
    expect(a.opportunities.length).toBeGreaterThan(0)
    expect(await d.page.locator('article.opportunity').count()).toBe(a.opportunities.length)
    for (const [i, o] of a.opportunities.entries()) {
      // textContent: the cards past the top sit in closed groups (dashboard-opportunities.test.ts)
      const card = await d.page.locator(`article[aria-labelledby="op-${o.id}"]`).textContent()
      expect(card).toContain(`#${i + 1}`)
      expect(card).toContain(o.title)
      expect(card!.toLowerCase()).toContain(`${o.effort} effort`)
      expect(card).toContain(formatMoney(o.improvement_potential.revenue_per_month))
      expect(card).toContain(o.recommendation)
    }
    await shot(d.page, 'opportunities')
  })

  it('Journeys shows the stages, transitions and conversion points the API returns', async () => {
    await d.open('/journeys?period=7d')
    const a = await d.api<JourneysResponse>('/journeys', Q)
    expect(a.entered).toBeGreaterThan(0)
    const kpis = await textOf(d.page, '.kpis')
    expect(kpis).toContain(formatCount(a.entered))
    expect(kpis).toContain(formatPercent(a.success_rate))
    const stages = await tableRows(d.page, 'Stages')
    for (const s of a.stages) {
      expect(rowOf(stages, humanize(s.stage)).slice(1)).toEqual([
        formatCount(s.reached),
        formatCount(s.current),
        formatPercent(s.conversion_to_next),
        formatDuration(s.median_time_to_reach_s),
      ])
    }
    const points = await tableRows(d.page, 'Conversion points')
    for (const c of a.conversion_points) {
      expect(rowOf(points, humanize(c.name)).slice(1, 3)).toEqual([
        formatCount(c.users),
        formatPercent(c.rate),
      ])
    }
    const bands = flowInput(a.flow, a.stages).links.length
    expect(bands).toBeGreaterThan(0)
    expect(await d.page.locator('svg.sankey path.link').count()).toBe(bands)
    // the Sankey's stages are the table's Reached: the same people (issue 15)
    const nodes = await d.page.locator('svg.sankey text').allTextContents()
    expect(nodes).toEqual(
      a.stages
        .filter((s) => s.reached > 0)
        .map((s) => `${humanize(s.stage)} ${formatCount(s.reached)}`),
    )
    await shot(d.page, 'journeys')
  })

  it('Retention shows the cohort heatmap the API returns', async () => {
    await d.open('/retention?period=7d&interval=day')
    const a = await d.api<RetentionResponse>('/retention', { ...Q, interval: 'day', mode: 'on' })
    const rows = await tableRows(d.page, 'Cohorts')
    expect(rows[0][0]).toBe('All cohorts')
    // Today is partial, so no cohort has a complete last day: the API says null, the view "–".
    expect(a.partial_last_period).toBe(true)
    expect(a.average.at(-1)).toBeNull()
    expect(rows[0].at(-1)).toBe(NONE)
    expect(rows[0].slice(2)).toEqual(a.average.map((r) => formatPercent(r)))
    const cohorts = a.cohorts.filter((c) => c.size > 0)
    expect(cohorts.length).toBeGreaterThan(0)
    for (const c of a.cohorts) {
      const row = rowOf(rows, formatDay(c.start))
      expect(row[1]).toBe(formatCount(c.size))
      expect(row.slice(2, 2 + c.rates.length)).toEqual(c.rates.map((r) => formatPercent(r)))
    }
    await shot(d.page, 'retention')
  })
})
