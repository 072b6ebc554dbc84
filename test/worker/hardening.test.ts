/**
 * The security review's API findings (issue 12, findings 4–7): config size, failed
 * authentication, body type and size on every body route, and response headers.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker, { app } from '../../worker/index'
import { MAX_JSON_BYTES } from '../../worker/middleware/json-body'
import { MAX_IMPORT_BYTES } from '../../worker/routes/import'
import { ALERT_METRICS, ERROR_SOURCES, metricUnit } from '../../worker/schemas'
import { call, createSite, type TestSite } from './helpers'

type ErrorJson = { error: { code: string; message: string; details?: { path: string }[] } }

const KB = 1024

async function config(site: TestSite) {
  const res = await call(`/v1/sites/${site.id}/config`, { token: site.admin })
  return ((await res.json()) as { config: Record<string, unknown> }).config
}

function patch(site: TestSite, body: unknown) {
  return call(`/v1/sites/${site.id}/config`, { method: 'PATCH', token: site.admin, body })
}

/** `n` distinct slugs of `len` characters. */
function slugs(n: number, len = 64): string[] {
  return Array.from({ length: n }, (_, i) => `s${i}`.padEnd(len, 'x'))
}

/** The longest origin allowed: 300 characters. */
function longOrigin(i: number, len = 300): string {
  const head = `https://o${i}.`
  return head + 'a'.repeat(len - head.length - 8) + '.example'
}

/** A config at every bound the schema sets: each list full, each string at its longest. */
function largestConfig() {
  const names = slugs(20)
  return {
    allowed_origins: Array.from({ length: 50 }, (_, i) => longOrigin(i)),
    features: slugs(100),
    tiers: slugs(20, 32).map((name) => ({ name, monthly_price: 12345.67 })),
    workflows: slugs(50).map((name) => ({
      name,
      steps: names,
      dropoff_type: 'verification',
      conversion_window_s: 7_776_000,
    })),
    thresholds: Object.fromEntries(
      ALERT_METRICS.map((m) => [
        m,
        metricUnit(m) === 'ms'
          ? { warning: 1000, critical: 2000, direction: 'above' }
          : { warning: 0.9, critical: 0.8, direction: 'below' },
      ]),
    ),
    min_sample: 1_000_000,
    error_sources: Object.fromEntries(slugs(200).map((s) => [s, ERROR_SOURCES[0]])),
    alerts: slugs(50).map((id, i) => {
      const metric = ALERT_METRICS[i % ALERT_METRICS.length]
      return {
        id,
        metric,
        scope: { institution: names[0], feature: names[1] },
        condition: 'below',
        threshold: metricUnit(metric) === 'ms' ? 600_000 : 0.5,
        window: '24h',
        min_sample: 1_000_000,
        pending_evaluations: 60,
        repeat_every: '7d',
      }
    }),
    retention_days: 3650,
    currency: 'EUR',
    value_weights: { usage: 0.2, time: 0.2, revenue: 0.2, satisfaction: 0.2, retention: 0.2 },
    effort: Object.fromEntries(slugs(100).map((s) => [s, 'medium'])),
  }
}

describe('config size', () => {
  it('refuses a 3 MB config PATCH with 413 and keeps the config', async () => {
    const site = await createSite()
    const before = await config(site)
    const res = await patch(site, {
      allowed_origins: [`https://${'a'.repeat(3 * KB * KB)}.example`],
    })
    expect(res.status).toBe(413)
    const body = (await res.json()) as ErrorJson
    expect(body.error.code).toBe('body_too_large')
    expect(body.error.message).toContain('256 KB')
    expect(await config(site)).toEqual(before)
  })

  it('saves the largest config every bound allows, under the body limit', async () => {
    const site = await createSite()
    const big = largestConfig()
    expect(JSON.stringify(big).length).toBeLessThan(256 * KB)
    const res = await patch(site, big)
    expect(res.status).toBe(200)
    expect(await config(site)).toMatchObject(big)
  })

  const over: [string, (c: ReturnType<typeof largestConfig>) => unknown][] = [
    ['allowed_origins', (c) => [...c.allowed_origins, 'https://one.more.example']],
    ['allowed_origins.0', () => [longOrigin(0, 301)]],
    ['features', (c) => [...c.features, 'one_more']],
    ['tiers', (c) => [...c.tiers, { name: 'one_more', monthly_price: 1 }]],
    ['workflows', (c) => [...c.workflows, { ...c.workflows[0], name: 'one_more' }]],
    ['workflows.0.steps', (c) => [{ ...c.workflows[0], steps: [...c.workflows[0].steps, 'x'] }]],
    ['error_sources', (c) => ({ ...c.error_sources, one_more: 'user' })],
    ['alerts', (c) => [...c.alerts, { ...c.alerts[0], id: 'one_more' }]],
    ['effort', (c) => ({ ...c.effort, one_more: 'low' })],
  ]
  it.each(over)('answers 400 naming %s one over its limit, config unchanged', async (path, f) => {
    const site = await createSite()
    const before = await config(site)
    const field = path.split('.')[0]
    const res = await patch(site, { [field]: f(largestConfig()) })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorJson
    expect(body.error.message.startsWith(`${path}: `)).toBe(true)
    expect(body.error.details?.[0].path).toBe(path)
    expect(await config(site)).toEqual(before)
  })
})

/** Calls the Worker as a given client address, with CLIENT_LIMIT swapped for a budget of 3. */
function asClient(ip: string, path: string, token?: string) {
  const headers: Record<string, string> = { 'cf-connecting-ip': ip }
  if (token) headers.authorization = `Bearer ${token}`
  return worker.fetch(
    new Request(`http://stepwise.test${path}`, { headers }),
    { ...env, CLIENT_LIMIT: env.TIGHT_LIMIT },
    createExecutionContext(),
  )
}

async function authFailures(siteId: string): Promise<number | null> {
  const row = await env.DB.prepare(
    'SELECT sum(auth_failures) AS n FROM site_counters WHERE site_id = ?1',
  )
    .bind(siteId)
    .first<{ n: number | null }>()
  return row!.n
}

describe('failed authentication', () => {
  it('is limited per client before the key lookup: 429 with Retry-After once the budget is spent', async () => {
    const site = await createSite()
    const paths = [
      `/v1/sites/${site.id}/config`,
      '/v1/whoami',
      '/v1/admin/jobs/run',
      `/v1/sites/${site.id}/dashboard`,
      `/v1/sites/${site.id}/config`,
    ]
    const statuses: number[] = []
    let last: Response | undefined
    for (const path of paths) {
      last = await asClient('198.51.100.21', path, 'sk_wrong')
      statuses.push(last.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    expect(last!.headers.get('retry-after')).toBe('60')
    expect(((await last!.json()) as ErrorJson).error.code).toBe('rate_limited')
    // Even the right key waits on that client; another client is not held up.
    expect((await asClient('198.51.100.21', paths[0], site.admin)).status).toBe(429)
    expect((await asClient('198.51.100.22', paths[0], site.admin)).status).toBe(200)
  })

  it('counts failures per site, shown with the collector counters in GET config', async () => {
    const site = await createSite()
    const other = await createSite()
    await call(`/v1/sites/${site.id}/config`, { token: 'sk_wrong' })
    await call(`/v1/sites/${site.id}/funnel`, { method: 'POST', body: {} })
    await call(`/v1/sites/${site.id}/config`, { token: other.admin })
    expect(await authFailures(site.id)).toBe(3)
    expect(await authFailures(other.id)).toBeNull()
    const res = await call(`/v1/sites/${site.id}/config`, { token: site.admin })
    const body = (await res.json()) as { counters: Record<string, number> }
    expect(body.counters).toEqual({
      days: 30,
      redactions: 0,
      bots_dropped: 0,
      rejected_events: 0,
      auth_failures: 3,
    })
  })

  it('keeps no counter for a site that does not exist', async () => {
    await call('/v1/sites/no-such-site/config', { token: 'sk_wrong' })
    expect(await authFailures('no-such-site')).toBeNull()
  })
})

/** Every table's rows, to show that a refused request changed nothing anywhere. */
async function snapshot(): Promise<string> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
     AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
     ORDER BY name`,
  ).all<{ name: string }>()
  const parts: string[] = []
  for (const { name } of results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all()
    parts.push(`${name} ${JSON.stringify(rows.results)}`)
  }
  return parts.join('\n')
}

/** Every route that takes a body, from the app's own route table: a new one is covered too. */
function bodyRoutes(site: TestSite): { method: string; path: string; token?: string }[] {
  const seen = new Map<string, { method: string; path: string; token?: string }>()
  for (const r of app.routes) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue
    const path = r.path.replace(':site', site.id).replace(/:[a-z_]+/g, 'x')
    const token = path.startsWith('/v1/admin') ? env.ADMIN_TOKEN : site.admin
    seen.set(`${r.method} ${path}`, { method: r.method, path, token })
  }
  return [...seen.values()]
}

describe('request bodies', () => {
  it('finds the body routes', async () => {
    const routes = bodyRoutes(await createSite()).map((r) => `${r.method} ${r.path}`)
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/events',
        'POST /v1/admin/sites',
        expect.stringMatching(/^PATCH \/v1\/sites\/.+\/config$/),
        expect.stringMatching(/^POST \/v1\/sites\/.+\/keys$/),
        expect.stringMatching(/^POST \/v1\/sites\/.+\/funnel$/),
        expect.stringMatching(/^POST \/v1\/sites\/.+\/alerts\/x\/snooze$/),
      ]),
    )
  })

  it('answer 415 to a body that is not JSON, on every body route, and change nothing', async () => {
    const site = await createSite()
    // A body each route would take as JSON: today's config PATCH applied it.
    const raw = JSON.stringify({ allowed_origins: ['https://evil.example'], name: 'x' })
    const before = await snapshot()
    for (const { method, path, token } of bodyRoutes(site)) {
      const res = await call(path, { method, token, raw, headers: { 'content-type': 'text/html' } })
      expect(res.status, `${method} ${path}`).toBe(415)
      expect(((await res.json()) as ErrorJson).error.code).toBe('unsupported_media_type')
    }
    expect(await snapshot()).toBe(before)
  })

  it('answer 413 to an oversized body, on every body route', async () => {
    const site = await createSite()
    const before = await snapshot()
    for (const { method, path, token } of bodyRoutes(site)) {
      // Past each route's own bound: 256 KB everywhere, the historical import's 5 MB.
      const limit = path.endsWith('/import') ? MAX_IMPORT_BYTES : MAX_JSON_BYTES
      const raw = JSON.stringify({ pad: 'x'.repeat(limit + KB) })
      const res = await call(path, { method, token, raw })
      expect(res.status, `${method} ${path}`).toBe(413)
      expect(((await res.json()) as ErrorJson).error.code).toBe('body_too_large')
    }
    expect(await snapshot()).toBe(before)
  })

  it('answer 413 to an oversized body sent without a Content-Length', async () => {
    const site = await createSite()
    const chunk = new TextEncoder().encode(' '.repeat(64 * KB))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await worker.fetch(
      new Request(`http://stepwise.test/v1/sites/${site.id}/funnel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${site.admin}`, 'content-type': 'application/json' },
        body,
      }),
      env,
      createExecutionContext(),
    )
    expect(res.status).toBe(413)
  })

  it('still take JSON with a charset', async () => {
    const site = await createSite()
    const res = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { min_sample: 40 },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    expect(res.status).toBe(200)
  })
})

const HSTS = 'max-age=31536000; includeSubDomains'

function expectSecurityHeaders(res: Response, what: string) {
  expect(res.headers.get('strict-transport-security'), what).toBe(HSTS)
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff')
}

describe('response headers', () => {
  it('no-store on every API answer, those that carry a secret first', async () => {
    const created = await call('/v1/admin/sites', {
      method: 'POST',
      token: env.ADMIN_TOKEN,
      body: { name: 'Headers bank' },
    })
    const { site, admin_key } = (await created.json()) as {
      site: { id: string }
      admin_key: { key: string }
    }
    const s: TestSite = { id: site.id, pk: '', admin: admin_key.key }
    const answers: [string, Response][] = [
      ['site creation', created],
      [
        'key creation',
        await call(`/v1/sites/${s.id}/keys`, {
          method: 'POST',
          token: s.admin,
          body: { role: 'read' },
        }),
      ],
      ['first webhook_url', await patch(s, { webhook_url: `${env.RECEIVER_URL}/hook/ok/headers` })],
      [
        'secret rotation',
        await call(`/v1/sites/${s.id}/webhook/secret`, { method: 'POST', token: s.admin }),
      ],
      ['an insight', await call(`/v1/sites/${s.id}/dashboard`, { token: s.admin })],
      ['health', await call('/v1/health')],
      ['a 401', await call(`/v1/sites/${s.id}/config`)],
      ['an unknown API route', await call('/v1/nope')],
    ]
    expect(
      ((await answers[2][1].clone().json()) as { webhook_secret?: string }).webhook_secret,
    ).toMatch(/^whsec_/)
    for (const [what, res] of answers) {
      expect(res.headers.get('cache-control'), what).toBe('no-store')
      expectSecurityHeaders(res, what)
    }
  })

  it('HSTS and nosniff on every answer of the Worker: errors, 404s, the demo page and its files', async () => {
    const site = await createSite()
    const answers: [string, Response][] = [
      ['a 200', await call(`/v1/sites/${site.id}/config`, { token: site.admin })],
      ['a 400', await patch(site, { min_sample: -1 })],
      ['a 404', await call('/v1/nope')],
      [
        'a 415',
        await call('/v1/admin/sites', {
          method: 'POST',
          raw: 'x',
          headers: { 'content-type': 'text/html' },
        }),
      ],
      ['an ingest 400', await call('/v1/events', { method: 'POST', raw: '{}' })],
      ['/demo', await call('/demo')],
      ['/demo/demo.js', await call('/demo/demo.js')],
    ]
    for (const [what, res] of answers) expectSecurityHeaders(res, what)
  })

  it('the demo page sends its address to no other site', async () => {
    const res = await call('/demo')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
  })
})
