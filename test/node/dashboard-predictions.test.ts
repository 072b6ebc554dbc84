/**
 * The Predictions view (issue 11, DESIGN §7.10) in headless Chromium against `wrangler dev`:
 * on the demo bank with six weeks of activity (enough for cron to train a churn model), the
 * card in words, the users at risk page by page and filtered, a user's drawer, the revenue and
 * MRR forecast with its bands, and the institutions heading for a threshold, each as the API
 * answers them; on a site with a few days of data, the card's insufficient_data reason and no
 * probability anywhere; and a phone without sideways scrolling.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  AtRiskResponse,
  ChurnModelCard,
  ForecastResponse,
  UserInsightsResponse,
} from '../../dashboard/src/api/types'
import { factorLabel, formatContribution } from '../../dashboard/src/lib/churn-factors'
import { headingSentence, holdoutSentence } from '../../dashboard/src/lib/forecast-words'
import {
  formatCount,
  formatMoney,
  formatPercent,
  formatScore,
  humanize,
  NONE,
} from '../../dashboard/src/lib/format'
import { modelCardWords } from '../../dashboard/src/lib/model-card'
import { utcToday } from '../../dashboard/src/state/filters'
import { seedDemoSite, type SeededSite } from './dashboard-data'
import {
  pageWidth,
  shot,
  startDashboard,
  tableRows,
  textOf,
  type Dashboard,
} from './dashboard-page'
import { ADMIN_TOKEN, eventually } from './support/worker'

const PAGE = '25'
let d: Dashboard
let card: ChurnModelCard
let small: SeededSite

/** GET a site's route with its read key. */
async function get<T>(site: SeededSite, path: string, query: Record<string, string> = {}) {
  const q = new URLSearchParams(query).toString()
  const res = await fetch(`${d.worker.url}/v1/sites/${site.id}${path}${q ? `?${q}` : ''}`, {
    headers: { authorization: `Bearer ${site.read}` },
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Runs cron's jobs (`POST /v1/admin/jobs/run`) until the site's churn model has been trained. */
async function trained(site: SeededSite): Promise<ChurnModelCard> {
  const run = async () => {
    await fetch(`${d.worker.url}/v1/admin/jobs/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    return get<ChurnModelCard>(site, '/models/churn')
  }
  return eventually(run, (c) => c.trained_at !== null, 60_000)
}

beforeAll(async () => {
  // 42 days: three windows of 14 days; 600 users: more than the 200 the backtest's training
  // window needs (about a third are active in it), with more than 20 churners.
  d = await startDashboard({ seed: { days: 42, users: 600, historyDays: 90 } })
  card = await trained(d.site)
  small = await seedDemoSite(d.worker, { days: 6, users: 40 })
  await trained(small)
}, 600_000)
afterAll(() => d?.stop())
afterEach(() => expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([]))

/** The at-risk rows as the table should show them. */
const expectedRows = (a: AtRiskResponse) =>
  a.users.map((u) => [
    u.uid,
    u.tier ?? NONE,
    formatPercent(u.churn_probability),
    u.risk ? humanize(u.risk) : NONE,
    formatScore(u.engagement),
    u.top_factor
      ? `${factorLabel(u.top_factor.feature)} ${formatContribution(u.top_factor.contribution)}`
      : NONE,
    formatMoney(u.mrr, a.currency),
    formatMoney(u.revenue_at_risk, a.currency),
  ])

const atRiskRows = (p: Page) => tableRows(p, 'Users at risk')

describe('Predictions view', () => {
  it('puts the churn model card in words, with every backtest number', async () => {
    expect(card.status).toBe('ok')
    await d.open('/predictions')
    const text = await textOf(d.page, '.model-card')
    // Written out here rather than by the view's own function: AUC as a whole percent.
    const pct = (x: number) => `${Math.round(x * 100)}`
    const [lo, hi] = card.auc_interval!
    expect(text).toContain(
      `Ranks a churner above a stayer ${pct(card.auc!)}% of the time (95% interval ${pct(lo)}–${pct(hi)}%).`,
    )
    expect(text).toContain(
      `Judged on how ${formatCount(card.holdout!.n)} users fared in the ${card.horizon_days} days after ${card.holdout!.holdout_cut}, which it never saw`,
    )
    const w = modelCardWords(card)
    if (w.status !== 'ok') throw new Error('expected an ok card')
    const facts = d.page.locator('.model-facts .kpi')
    expect(await facts.count()).toBe(w.facts.length)
    for (const [i, f] of w.facts.entries()) {
      expect(await facts.nth(i).locator('.kpi-label').innerText()).toBe(f.label)
      expect(await facts.nth(i).locator('.kpi-value').innerText()).toBe(f.value)
      expect(await facts.nth(i).getAttribute('title')).toBe(f.hint)
    }
    expect(w.facts.find((f) => f.label === 'Base rate')!.value).toBe(formatPercent(card.base_rate))
    expect(w.facts.find((f) => f.label === 'Users')!.value).toBe(formatCount(card.n))
    await shot(d.page, 'predictions')
  })

  it('lists the users at risk as the API ranks them, page by page', async () => {
    const first = await d.api<AtRiskResponse>('/users/at-risk', { limit: PAGE })
    expect(first.users.length).toBe(Number(PAGE))
    expect(first.next_cursor).not.toBeNull()
    await d.open('/predictions')
    expect(await atRiskRows(d.page)).toEqual(expectedRows(first))
    const p = first.users.map((u) => u.churn_probability!)
    expect(p).toEqual([...p].sort((a, b) => b - a))

    const second = await d.api<AtRiskResponse>('/users/at-risk', {
      limit: PAGE,
      cursor: first.next_cursor!,
    })
    await d.page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => atRiskRows(d.page)).toEqual(expectedRows(second))
    expect(await textOf(d.page, '.pager .muted')).toBe(`26–${25 + second.users.length}`)
    await d.page.getByRole('button', { name: 'Previous' }).click()
    await expect.poll(() => atRiskRows(d.page)).toEqual(expectedRows(first))
    expect(await d.page.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true)
  })

  it('filters the users at risk by risk level and by tier', async () => {
    await d.open('/predictions')
    await d.page.locator('#view-risk').selectOption('medium')
    await d.page.waitForURL(/[?&]risk=medium(&|$)/)
    const medium = await d.api<AtRiskResponse>('/users/at-risk', { limit: PAGE, risk: 'medium' })
    expect(medium.users.length).toBeGreaterThan(0)
    expect(medium.users.every((u) => u.risk === 'medium')).toBe(true)
    await expect.poll(() => atRiskRows(d.page)).toEqual(expectedRows(medium))

    const plus = await d.api<AtRiskResponse>('/users/at-risk', { limit: PAGE, tier: 'plus' })
    expect(plus.users.length).toBeGreaterThan(0)
    await d.open('/predictions?tier=plus')
    expect(await atRiskRows(d.page)).toEqual(expectedRows(plus))
    expect(plus.users.every((u) => u.tier === 'plus')).toBe(true)
  })

  it('opens a user’s drawer: engagement, probability, factors, recommendations, activity', async () => {
    const first = await d.api<AtRiskResponse>('/users/at-risk', { limit: PAGE })
    // The riskiest user with recommendations, if any has them, so that part is checked too.
    let u: UserInsightsResponse | undefined
    for (const r of first.users) {
      const x = await d.api<UserInsightsResponse>(`/users/${r.uid}/insights`)
      u ??= x
      if (x.recommendations.length) {
        u = x
        break
      }
    }
    if (!u) throw new Error('no user at risk')
    await d.open('/predictions')
    await d.page.getByRole('button', { name: u.uid, exact: true }).click()
    const drawer = d.page.getByRole('dialog', { name: `User ${u.uid}` })
    await drawer.locator('.drawer-facts').waitFor()
    const facts = await drawer.locator('.drawer-facts').innerText()
    expect(facts).toContain(`${formatScore(u.engagement)} / 100`)
    expect(facts).toContain(formatPercent(u.churn_probability))
    expect(facts).toContain(humanize(u.risk!))
    expect(facts).toContain(formatMoney(u.revenue_at_risk, u.currency))

    expect(u.factors.length).toBe(3)
    const rows = await drawer.locator('.bar-row').allInnerTexts()
    expect(rows.length).toBe(3)
    for (const [i, f] of u.factors.entries()) {
      expect(rows[i]).toContain(factorLabel(f.feature))
      expect(rows[i]).toContain(formatContribution(f.contribution))
    }
    // They add up: baseline + the three + the others = the logit.
    const sum = u.factors.reduce((s, f) => s + f.contribution, u.baseline! + u.other_contribution!)
    expect(sum).toBeCloseTo(u.logit!, 4)
    const line = await drawer.locator('.factor-sum').innerText()
    expect(line).toContain(`Baseline ${formatContribution(u.baseline)}`)
    expect(line).toContain(`logit ${formatContribution(u.logit)}`)

    const recs = await drawer.locator('.recommendations li').allInnerTexts()
    expect(recs.length).toBe(u.recommendations.length)
    for (const [i, r] of u.recommendations.entries()) {
      expect(recs[i].startsWith(humanize(r.feature))).toBe(true)
      expect(recs[i]).toContain(`this tier's users of ${humanize(r.because)} use it`)
    }
    expect(await drawer.locator('.recent li').count()).toBe(u.recent_activity.length)
    expect(u.recent_activity.length).toBeGreaterThan(0)
    await shot(d.page, 'predictions-drawer')
    await d.page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'detached' })
  })

  it('draws the revenue and MRR forecast with 80% and 95% bands and its holdout score', async () => {
    const f = await d.api<ForecastResponse>('/forecast')
    await d.open('/predictions')
    const charts = d.page.locator('.forecast')
    expect(await charts.count()).toBe(2)
    for (const [i, s] of [f.revenue, f.mrr].entries()) {
      if (s.status !== 'ok') throw new Error(`no forecast: ${s.reason}`)
      const chart = charts.nth(i)
      for (const band of ['band-80', 'band-95', 'mean', 'history']) {
        expect(await chart.locator(`path.${band}`).getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L/)
      }
      expect(await chart.locator('path.band-95').getAttribute('d')).toMatch(/ Z$/)
      expect(await chart.locator('svg').getAttribute('aria-label')).toContain(
        `the next ${s.forecast.length} forecast, with 80% and 95% intervals`,
      )
      expect(await chart.locator('.holdout').innerText()).toBe(holdoutSentence(s))
    }
  })

  it('names the institutions heading for a threshold, counted from today', async () => {
    const f = await d.api<ForecastResponse>('/forecast')
    expect(f.heading_for_threshold.length).toBeGreaterThan(0)
    await d.open('/predictions')
    const items = await d.page.locator('.headings li').allInnerTexts()
    expect(items).toEqual(
      f.heading_for_threshold.map((h) => headingSentence(h, f.as_of, utcToday())),
    )
    expect(items.join('\n')).toMatch(/crosses (warning|critical) /)
  })
})

describe('a site with too little data', () => {
  it('gives the card’s reason and no probability anywhere', async () => {
    const c = await get<ChurnModelCard>(small, '/models/churn')
    expect(c.status).toBe('insufficient_data')
    expect(c.reason).toBeTruthy()
    const a = await get<AtRiskResponse>(small, '/users/at-risk')
    expect(a.users).toEqual([])
    const p = await d.newPage()
    await d.open(`/predictions#key=${small.read}`, p)
    await d.open('/predictions', p)
    const text = await textOf(p, '.model-card')
    expect(text).toBe(`No churn predictions yet. ${c.reason}.`)
    expect(await p.locator('.model-facts').count()).toBe(0)
    const atRisk = p.locator('section.panel:has(h2:text-is("Users at risk"))')
    expect(await atRisk.locator('.state-empty').innerText()).toBe(
      `No user has a churn probability: ${a.reason}.`,
    )
    expect(await atRisk.locator('table').count()).toBe(0)
    // No percentage in either: a number there would be one the model did not earn.
    expect(text + (await atRisk.innerText())).not.toMatch(/\d%/)
    // Six days are too few for a trend line (seven), so no institution is heading anywhere.
    const f = await get<ForecastResponse>(small, '/forecast')
    expect(f.heading_for_threshold).toEqual([])
    expect(await textOf(p, '.no-heading')).toBe(
      `No institution's trend crosses a warning or critical threshold in the next ${f.horizon} days.`,
    )
    await shot(p, 'predictions-insufficient')
    await p.close()
  })
})

describe('a 375 px wide phone', () => {
  it('shows Predictions and a user’s drawer without sideways scrolling of the page', async () => {
    const p = await d.newPage({ width: 375, height: 812 })
    await d.open(`/predictions#key=${d.site.read}`, p)
    await d.open('/predictions', p)
    await p.locator('.band-chart svg').first().waitFor()
    expect(await pageWidth(p)).toBeLessThanOrEqual(375)
    await p.locator('.at-risk tbody button').first().click()
    await p.locator('.drawer .drawer-facts').waitFor()
    expect(await pageWidth(p)).toBeLessThanOrEqual(375)
    await shot(p, '375-predictions')
    await p.close()
  })
})
