/**
 * The Performance and Alerts views, in headless Chromium against `wrangler dev` with the demo
 * bank, show what the API answers for the same question; the alert buttons show the API's
 * own answer, error or not. Alert webhooks go to a receiver in this process on 127.0.0.1,
 * which the Worker may call only with DEV_ALLOW_LOCAL_WEBHOOKS, as it runs here.
 */
import { createServer } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  AlertsResponse,
  DeliveriesResponse,
  PerformanceResponse,
} from '../../dashboard/src/api/types'
import {
  deliverySummary,
  ruleRows,
  sampleText,
  scopeText,
  valueText,
} from '../../dashboard/src/lib/alerts'
import {
  formatCount,
  formatDateTime,
  formatInterval,
  formatMs,
  formatPercent,
  humanize,
} from '../../dashboard/src/lib/format'
import { alertLabel, healthLabel, healthRank, thresholdLines } from '../../dashboard/src/lib/health'
import { freshnessText, splitText } from '../../dashboard/src/lib/performance'
import { UNHEALTHY_INSTITUTION } from '../../scripts/demo/catalog'
import {
  pageWidth,
  settle,
  shot,
  startDashboard,
  tableRows,
  textOf,
  type Dashboard,
} from './dashboard-page'
import { freePort } from './support/worker'

const Q = { period: '7d' }
let d: Dashboard
let hooks: Awaited<ReturnType<typeof startHookReceiver>>

/** A webhook endpoint that keeps each request's headers: 410 Gone at `/gone`, else 200. */
async function startHookReceiver() {
  const received: { headers: Record<string, string | string[] | undefined> }[] = []
  const server = createServer((req, res) => {
    received.push({ headers: req.headers })
    const status = req.url === '/gone' ? 410 : 200
    req.resume().on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end())
  })
  const port = await freePort()
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

beforeAll(async () => {
  hooks = await startHookReceiver()
  d = await startDashboard({ vars: { DEV_ALLOW_LOCAL_WEBHOOKS: '1' } })
}, 360_000)
afterAll(async () => {
  await d?.stop()
  await hooks?.close()
})
afterEach(() => expect(d.takeProblems(), 'console errors, page errors or dialogs').toEqual([]))

const rate = (r: { value: number | null; interval: [number, number] | null } | null | undefined) =>
  r && r.value !== null ? `${formatPercent(r.value)} ${formatInterval(r.interval)}` : '–'

/** Saves the site's webhook_url with the admin key. */
async function setWebhook(url: string) {
  const res = await fetch(`${d.worker.url}/v1/sites/${d.site.id}/config`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${d.site.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ webhook_url: url }),
  })
  expect(res.status, 'the Worker must run with DEV_ALLOW_LOCAL_WEBHOOKS=1').toBe(200)
}

/** A POST with any key, answering the status and body whatever they are. */
async function post(path: string, key: string, body: unknown = {}) {
  const res = await fetch(`${d.worker.url}/v1/sites/${d.site.id}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } }
}

describe('performance view', () => {
  it('lists institutions worst first with the status, rates and latency the API answers', async () => {
    await d.open('/performance?period=7d')
    const a = await d.api<PerformanceResponse>('/performance', Q)
    const rows = await tableRows(d.page, 'Institutions')
    expect(rows.map((r) => r[0])).toEqual(a.by_institution.map((i) => i.institution))
    const ranks = a.by_institution.map((i) => healthRank(i.status))
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x))
    expect(rows[0][0]).toBe(UNHEALTHY_INSTITUTION)
    a.by_institution.forEach((i, n) => {
      const c = i.connection_success_rate
      expect(rows[n]).toEqual([
        i.institution,
        healthLabel(i.status),
        rate(c),
        formatPercent(c?.success_rate_excl_user_errors.value),
        formatMs(i.connection_latency?.p95_ms),
        '',
        freshnessText(i),
        formatCount(c?.attempts),
      ])
    })
    const bars = await d.page
      .locator('.stack.split')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    expect(bars).toEqual(
      a.by_institution.map((i) => `Attempts: ${splitText(i.connection_success_rate!.error_split)}`),
    )
  })

  it('shows the overall KPIs and the feature table the API answers', async () => {
    const a = await d.api<PerformanceResponse>('/performance', Q)
    const o = a.overall
    const kpis = await textOf(d.page, '.kpis')
    for (const v of [
      formatPercent(o.connection_success_rate?.value),
      formatInterval(o.connection_success_rate?.interval),
      formatMs(o.connection_latency?.p95_ms),
      formatPercent(o.error_rate?.value),
      formatPercent(o.data_sync_frequency?.freshness?.delayed.value),
      formatPercent(o.data_sync_frequency?.freshness?.stopped.value),
    ]) {
      expect(kpis).toContain(v)
    }
    const features = await tableRows(d.page, 'Features')
    expect(features).toEqual(
      a.by_feature.map((f) => [
        humanize(f.feature),
        healthLabel(f.status),
        formatCount(f.feature_usage?.uses),
        formatCount(f.feature_usage?.users),
        rate(f.feature_usage?.success_rate),
        formatPercent(f.error_rate?.value),
      ]),
    )
  })

  it('charts each metric with its warning and critical lines from the thresholds', async () => {
    const a = await d.api<PerformanceResponse>('/performance', Q)
    expect(a.granularity).toBe('hour')
    await d.page.locator('.chart canvas').nth(2).waitFor()
    expect(await d.page.locator('.chart canvas').count()).toBe(3)
    const legends = await d.page.locator('.chart .u-legend').allInnerTexts()
    const metrics = ['connection_success_rate', 'connection_latency_p95_ms', 'error_rate'] as const
    metrics.forEach((m, i) => {
      const lines = thresholdLines(m, a.thresholds[m])
      expect(lines).toHaveLength(2)
      for (const l of lines) expect(legends[i]).toContain(l.label)
    })
    await shot(d.page, 'performance')
  })

  it('filters the page to an institution when its name is clicked', async () => {
    await d.page.getByRole('link', { name: UNHEALTHY_INSTITUTION, exact: true }).click()
    await d.page.waitForURL(new RegExp(`[?&]institution=${UNHEALTHY_INSTITUTION}(&|$)`))
    await settle(d.page)
    const a = await d.api<PerformanceResponse>('/performance', {
      ...Q,
      institution: UNHEALTHY_INSTITUTION,
    })
    expect(a.filters.institution).toBe(UNHEALTHY_INSTITUTION)
    expect(await d.page.locator('#view-institution').inputValue()).toBe(UNHEALTHY_INSTITUTION)
    expect((await tableRows(d.page, 'Institutions')).map((r) => r[0])).toEqual(
      a.by_institution.map((i) => i.institution),
    )
    const kpis = await textOf(d.page, '.kpis')
    expect(kpis).toContain(formatPercent(a.overall.connection_success_rate?.value))
    expect(kpis).toContain(formatMs(a.overall.connection_latency?.p95_ms))

    await d.page.locator('#view-institution').selectOption('')
    await settle(d.page)
    expect(d.page.url()).not.toContain('institution=')
  })
})

describe('alerts view', () => {
  it('shows every rule and series with the state GET /alerts answers', async () => {
    await d.open('/alerts')
    const a = await d.api<AlertsResponse>('/alerts')
    expect(a.rules.length).toBeGreaterThan(0)
    const rows = await tableRows(d.page, 'Rules')
    const expected = ruleRows(a.rules)
    expect(rows).toHaveLength(expected.length)
    for (const { rule, series } of expected) {
      const scope = scopeText(series?.scope ?? rule.scope)
      const row = rows.find((r) => r[0].split('\n')[0] === rule.id && r[1] === scope)
      expect(row, `${rule.id} ${scope}`).toBeDefined()
      expect(row!.slice(2, 7)).toEqual(
        series
          ? [
              alertLabel(series.state),
              formatDateTime(series.since),
              valueText(rule, series),
              sampleText(rule, series),
              rule.window,
            ]
          : ['Not evaluated yet', '–', '–', '–', rule.window],
      )
    }
    const status = await textOf(d.page, '.webhook-status')
    expect(status).toContain(a.webhook.url ?? 'No webhook_url')
    await shot(d.page, 'alerts')
  })

  it('shows the API’s 403 message when a read key sends a test', async () => {
    const api = await post('/alerts/test', d.site.read)
    expect(api.status).toBe(403)
    await d.page.getByRole('button', { name: 'Send test' }).click()
    await expect
      .poll(() => d.page.getByRole('alert').allInnerTexts())
      .toEqual([api.body.error!.message])
    // The browser logs the refused request itself; nothing else may show up.
    expect(d.takeProblems()).toEqual([expect.stringContaining('status of 403')])
  })

  it('shows the API’s 409 message when an admin sends a test with no webhook_url', async () => {
    const api = await post('/alerts/test', d.site.admin)
    expect(api.status).toBe(409)
    const admin = await d.newPage()
    await d.open(`/alerts#key=${d.site.admin}`, admin)
    await admin.getByRole('button', { name: 'Send test' }).click()
    await expect
      .poll(() => admin.getByRole('alert').allInnerTexts())
      .toEqual([api.body.error!.message])
    expect(d.takeProblems()).toEqual([expect.stringContaining('status of 409')])
    await admin.close()
  })

  it('sends a test to the webhook and redelivers it, showing what the API answers', async () => {
    const url = `${hooks.url}/hook`
    await setWebhook(url)
    const admin = await d.newPage()
    await d.open(`/alerts#key=${d.site.admin}`, admin)
    expect(await textOf(admin, '.webhook-status')).toContain(url)

    await admin.getByRole('button', { name: 'Send test' }).click()
    const result = admin.locator('.webhook-status ~ .action-note .action-result')
    await result.waitFor()
    const { deliveries } = await d.api<DeliveriesResponse>('/alerts/deliveries')
    const sent = deliveries.find((x) => x.type === 'test')!
    expect(sent.status).toBe('delivered')
    expect(await result.innerText()).toBe(deliverySummary(sent))
    expect(hooks.received.map((r) => r.headers['webhook-id'])).toContain(sent.id)
    await settle(admin)
    const rows = await tableRows(admin, 'Deliveries')
    expect(rows.map((r) => r[1])).toContain('Test')

    await admin.getByRole('button', { name: `Redeliver ${sent.id}` }).click()
    const note = admin.locator('section.panel:has(h2:text-is("Deliveries")) .action-result')
    await note.waitFor()
    const after = (await d.api<DeliveriesResponse>('/alerts/deliveries')).deliveries.find(
      (x) => x.id === sent.id,
    )!
    expect(after.attempts).toBe(sent.attempts + 1)
    expect(await note.innerText()).toBe(`Redelivered: ${deliverySummary(after)}`)
    await shot(admin, 'alerts-sent')
    await admin.close()
  })

  it('says the webhook is disabled, and why, after it answered 410 Gone', async () => {
    await setWebhook(`${hooks.url}/gone`)
    const admin = await d.newPage()
    await d.open(`/alerts#key=${d.site.admin}`, admin)
    await admin.getByRole('button', { name: 'Send test' }).click()
    await admin.locator('.webhook-status ~ .action-note .action-result').waitFor()
    await d.open('/alerts', admin)
    const a = await d.api<AlertsResponse>('/alerts')
    expect(a.webhook.enabled).toBe(false)
    expect(a.webhook.disabled_at).not.toBeNull()
    const status = await textOf(admin, '.webhook-status')
    expect(status).toContain('Disabled')
    expect(status).toContain(formatDateTime(a.webhook.disabled_at!))
    expect(status).toContain(a.webhook.disabled_reason!)
    await admin.close()
  })
})

describe('a 375 px wide phone', () => {
  it('shows Performance and Alerts without sideways scrolling of the page', async () => {
    const p = await d.newPage({ width: 375, height: 812 })
    await d.open(`/performance?period=7d#key=${d.site.read}`, p)
    for (const view of ['performance', 'alerts']) {
      await d.open(`/${view}?period=7d`, p)
      expect(await pageWidth(p)).toBeLessThanOrEqual(375)
      await shot(p, `375-${view}`)
    }
    await p.close()
  })
})
