/**
 * Alerts and webhooks (DESIGN §9) against real D1 and a real HTTP receiver (test/support/
 * receiver.ts, started by vitest.config.ts): rule states over evaluations, signed deliveries,
 * retries, 410, the SSRF guard.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { attemptDelivery, senderOf } from '../../worker/alerts/deliver'
import { evaluateSite } from '../../worker/alerts/run'
import { sign } from '../../worker/alerts/signing'
import { checkWebhookUrl } from '../../worker/alerts/url-guard'
import { getConfig } from '../../worker/db/sites'
import { claimStatements, dueMessages, findMessage } from '../../worker/db/webhooks'
import { insertEventStatements } from '../../worker/db/events'
import type { EventRow } from '../../worker/schemas'
import { call, createKey, createSite, type TestSite } from './helpers'

const R = env.RECEIVER_URL
let seq = 0
const unique = () => `${Date.now().toString(36)}-${++seq}`

type Received = { path: string; headers: Record<string, string>; body: string }
async function received(path: string): Promise<Received[]> {
  const res = await fetch(`${R}/_received?path=${encodeURIComponent(path)}`)
  return (await res.json()) as Received[]
}

async function patch(site: TestSite, body: unknown) {
  return call(`/v1/sites/${site.id}/config`, { method: 'PATCH', token: site.admin, body })
}

/** A site whose webhooks go to the receiver at /hook/<behaviour>/<unique>. */
async function hookedSite(behaviour = 'ok', alerts?: unknown[]) {
  const site = await createSite()
  const path = `/hook/${behaviour}/${unique()}`
  const res = await patch(site, { webhook_url: `${R}${path}`, ...(alerts ? { alerts } : {}) })
  expect(res.status).toBe(200)
  const { webhook_secret } = (await res.json()) as { webhook_secret: string }
  return { site, path, secret: webhook_secret }
}

/** The spec's verification, written from it apart from worker/alerts/signing.ts. */
async function verifies(secret: string, r: Received): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  )
  const content = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`
  for (const sig of r.headers['webhook-signature'].split(' ')) {
    const [version, b64] = sig.split(',')
    const mac = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    if (
      version === 'v1' &&
      (await crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(content)))
    )
      return true
  }
  return false
}

function connections(siteId: string, ts: number, completed: number, failed: number): EventRow[] {
  return Array.from({ length: completed + failed }, (_, i) => ({
    site_id: siteId,
    id: `c${unique()}-${i}`,
    type: 'connection' as const,
    ts: ts + i,
    received_at: ts + i,
    uid: `u${i}`,
    institution: 'bank_a',
    status: i < completed ? ('completed' as const) : ('failed' as const),
    ...(i < completed ? {} : { reason: 'institution_error' }),
  }))
}

async function store(rows: EventRow[]) {
  await env.DB.batch(insertEventStatements(env.DB, rows))
}

const RULE = {
  id: 'bank_a_success',
  metric: 'connection_success_rate',
  scope: { institution: 'bank_a' },
  threshold: 0.9,
  window: '1h',
  min_sample: 10,
  pending_evaluations: 2,
}

/**
 * What cron does for one site: evaluate, then send what is due. Only this site's messages, so
 * that another test's slow receiver does not hold this one up.
 */
async function deliverSite(site: TestSite, now: number) {
  for (const m of await dueMessages(env.DB, now, 1000)) {
    if (m.site_id === site.id) await attemptDelivery(env.DB, m, senderOf(env), now)
  }
}

async function tick(site: TestSite, now: number) {
  await evaluateSite(env.DB, site.id, await getConfig(env.DB, site.id), now)
  await deliverSite(site, now)
}

async function stateOf(site: TestSite) {
  const read = await createKey(site, 'read')
  const res = await call(`/v1/sites/${site.id}/alerts`, { token: read })
  return (await res.json()) as any
}

describe('webhook signatures', () => {
  it('match the Standard Webhooks example vector', async () => {
    // standard-webhooks/libraries/go/webhook_test.go TestWebhookSign
    expect(
      await sign(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })
})

describe('an alert rule over four evaluations', () => {
  it('goes ok → pending → firing → resolved and sends exactly two signed webhooks', async () => {
    const { site, path, secret } = await hookedSite('ok', [RULE])
    const t0 = Date.now() - 3 * 3600_000
    await store(connections(site.id, t0 - 600_000, 20, 0))
    await tick(site, t0)
    expect((await stateOf(site)).rules[0].series[0]).toMatchObject({ state: 'ok', value: 1, n: 20 })

    await store(connections(site.id, t0 + 60_000, 0, 30)) // 20 of 50 succeed: 0.4 < 0.9
    await tick(site, t0 + 120_000)
    expect((await stateOf(site)).rules[0].series[0]).toMatchObject({ state: 'pending', value: 0.4 })
    expect(await received(path)).toHaveLength(0)

    await tick(site, t0 + 180_000)
    const firing = (await stateOf(site)).rules[0].series[0]
    expect(firing).toMatchObject({ state: 'firing', since: new Date(t0 + 180_000).toISOString() })

    // Two hours on, the last hour holds only healthy connections.
    const t3 = t0 + 2 * 3600_000
    await store(connections(site.id, t3 - 600_000, 25, 0))
    await tick(site, t3)
    expect((await stateOf(site)).rules[0].series[0]).toMatchObject({ state: 'resolved', value: 1 })

    const got = await received(path)
    expect(got).toHaveLength(2)
    const bodies = got.map((r) => JSON.parse(r.body))
    expect(bodies.map((b) => b.type)).toEqual(['alert.firing', 'alert.resolved'])
    expect(bodies[0]).toMatchObject({
      alert: 'bank_a_success',
      metric: 'connection_success_rate',
      scope: { institution: 'bank_a' },
      value: 0.4,
      threshold: 0.9,
      n: 50,
      window: '1h',
      previous_state: 'pending',
      state: 'firing',
    })
    expect(bodies[0].interval[0]).toBeLessThan(0.4)
    expect(bodies[1]).toMatchObject({ previous_state: 'firing', state: 'resolved' })
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(2)
    for (const r of got) expect(await verifies(secret, r)).toBe(true)
    // A fifth evaluation, still healthy, tells nothing more.
    await tick(site, t3 + 60_000)
    expect(await received(path)).toHaveLength(2)
  })

  it('repeats a firing alert every repeat_every, and never while snoozed', async () => {
    const { site, path } = await hookedSite('ok', [
      { ...RULE, pending_evaluations: 1, repeat_every: '30m' },
    ])
    const t0 = Date.now() - 3600_000
    await store(connections(site.id, t0 - 60_000, 0, 20))
    await tick(site, t0)
    await tick(site, t0 + 10 * 60_000)
    expect(await received(path)).toHaveLength(1)
    await tick(site, t0 + 31 * 60_000)
    expect(await received(path)).toHaveLength(2)

    const snooze = await call(`/v1/sites/${site.id}/alerts/bank_a_success/snooze`, {
      method: 'POST',
      token: site.admin,
      body: { for: '2h' },
    })
    expect(snooze.status).toBe(200)
    await tick(site, t0 + 45 * 60_000)
    expect(await received(path)).toHaveLength(2)
    expect((await stateOf(site)).rules[0].snoozed_until).not.toBeNull()
  })

  it('is no_data below min_sample and fires on nothing', async () => {
    const { site, path } = await hookedSite('ok', [{ ...RULE, pending_evaluations: 1 }])
    const now = Date.now()
    await store(connections(site.id, now - 60_000, 0, 5))
    await tick(site, now)
    expect((await stateOf(site)).rules[0].series[0]).toMatchObject({ state: 'no_data', n: 5 })
    expect(await received(path)).toHaveLength(0)
  })

  it('watches every institution on its own with scope "*"', async () => {
    const site = (await hookedSite('ok', [{ ...RULE, id: 'each', scope: { institution: '*' } }]))
      .site
    const now = Date.now()
    await store([
      ...connections(site.id, now - 60_000, 20, 0),
      ...connections(site.id, now - 30_000, 20, 0).map((r) => ({ ...r, institution: 'bank_b' })),
    ])
    await tick(site, now)
    const series = (await stateOf(site)).rules[0].series.map((s: any) => s.series)
    expect(series).toEqual(['institution=bank_a', 'institution=bank_b'])
  })
})

describe('alert edge cases', () => {
  it('resolves, and says so, a firing alert whose data stopped and came back healthy', async () => {
    const { site, path } = await hookedSite('ok', [{ ...RULE, pending_evaluations: 1 }])
    const t0 = Date.now() - 4 * 3600_000
    await store(connections(site.id, t0 - 60_000, 0, 20))
    await tick(site, t0)
    await tick(site, t0 + 2 * 3600_000) // nothing in the last hour
    expect((await stateOf(site)).rules[0].series[0].state).toBe('no_data')
    await store(connections(site.id, t0 + 3 * 3600_000 - 60_000, 20, 0))
    await tick(site, t0 + 3 * 3600_000)
    const types = (await received(path)).map((r) => JSON.parse(r.body).type)
    expect(types).toEqual(['alert.firing', 'alert.resolved'])
  })

  it('tells a firing alert once a webhook_url is saved, not before', async () => {
    const site = await createSite()
    await patch(site, { alerts: [{ ...RULE, pending_evaluations: 1 }] })
    const now = Date.now() - 600_000
    await store(connections(site.id, now - 60_000, 0, 20))
    await tick(site, now)
    expect((await stateOf(site)).rules[0].series[0].state).toBe('firing')
    const path = `/hook/ok/${unique()}`
    await patch(site, { webhook_url: `${R}${path}` })
    await tick(site, now + 60_000)
    expect((await received(path)).map((r) => JSON.parse(r.body).type)).toEqual(['alert.firing'])
  })

  it('keeps at most 100 series per rule, however many institutions appear', async () => {
    const { site } = await hookedSite('ok', [
      { ...RULE, id: 'each', scope: { institution: '*' }, min_sample: 1 },
    ])
    const now = Date.now()
    await store(
      Array.from({ length: 150 }, (_, i) => ({
        ...connections(site.id, now - 60_000 + i, 1, 0)[0],
        institution: `made_up_${i}`,
      })),
    )
    await tick(site, now)
    expect((await stateOf(site)).rules[0].series).toHaveLength(100)
  })

  it('retries a delivery whose host could not be checked because the resolver failed', async () => {
    const site = await createSite()
    await patch(site, { webhook_url: `${R}/hook/ok/${unique()}` })
    await env.DB.prepare(
      `UPDATE site_config SET config = json_set(config, '$.webhook_url', ?2)
      WHERE site_id = ?1`,
    )
      .bind(site.id, 'https://dnsfail.example.test/hook')
      .run()
    const res = await call(`/v1/sites/${site.id}/alerts/test`, {
      method: 'POST',
      token: site.admin,
    })
    const d = ((await res.json()) as any).delivery
    expect(d.attempts_log[0].error).toMatch(/^not checked: .*resolver answered 503/)
    expect(d.status).toBe('pending')
  })

  it('fails a message whose last attempt never reported back, once its lease is over', async () => {
    const { site, path } = await hookedSite('ok')
    const now = Date.now()
    const id = `msg_last${unique().replace(/-/g, '')}`
    await env.DB.prepare(
      `INSERT INTO webhook_messages (id, site_id, type, body, created_at, status, attempts, next_attempt_at)
       VALUES (?3, ?1, 'test', '{"type":"test"}', ?2, 'pending', 7, ?2)`,
    )
      .bind(site.id, now, id)
      .run()
    const m = (await findMessage(env.DB, site.id, id))!
    await env.DB.batch(claimStatements(env.DB, m, `${R}${path}`, now, now + 15 * 60_000))
    await deliverSite(site, now + 16 * 60_000)
    expect(await findMessage(env.DB, site.id, id)).toMatchObject({ status: 'failed', attempts: 8 })
    expect(await received(path)).toHaveLength(0)
  })
})

describe('default rules', () => {
  it('come from the thresholds when the config sets no alerts', async () => {
    const site = await createSite()
    await patch(site, {
      thresholds: {
        connection_success_rate: { warning: 0.97, critical: 0.93, direction: 'below' },
      },
    })
    const body = await stateOf(site)
    expect(body.rules.map((r: any) => [r.id, r.threshold, r.default])).toEqual([
      ['connection_success_rate', 0.93, true],
      ['connection_latency_p95_ms', 6000, true],
      ['error_rate', 0.05, true],
    ])
    expect(body.webhook).toEqual({
      url: null,
      enabled: false,
      disabled_at: null,
      disabled_reason: null,
      has_secret: false,
    })
  })
})

describe('webhook delivery', () => {
  async function test(site: TestSite) {
    const res = await call(`/v1/sites/${site.id}/alerts/test`, {
      method: 'POST',
      token: site.admin,
    })
    expect(res.status).toBe(200)
    return ((await res.json()) as any).delivery
  }

  it('retries after a 500 with the same webhook-id, about 5 s later', async () => {
    const { site, path } = await hookedSite('fail-once')
    const first = await test(site)
    expect(first).toMatchObject({ status: 'pending', attempts: 1 })
    expect(first.attempts_log[0]).toMatchObject({ attempt: 1, status_code: 500 })
    const wait = Date.parse(first.next_attempt_at) - Date.parse(first.attempts_log[0].started_at)
    expect(wait).toBeGreaterThanOrEqual(4500)
    expect(wait).toBeLessThanOrEqual(5500)
    await deliverSite(site, Date.parse(first.next_attempt_at))
    const m = await findMessage(env.DB, site.id, first.id)
    expect(m).toMatchObject({ status: 'delivered', attempts: 2 })
    const got = await received(path)
    expect(got.map((r) => r.headers['webhook-id'])).toEqual([first.id, first.id])
  })

  it('disables the endpoint on a 410 and sends nothing more until webhook_url is saved again', async () => {
    const { site, path } = await hookedSite('410')
    expect(await test(site)).toMatchObject({ status: 'failed' })
    const state = await stateOf(site)
    expect(state.webhook).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringMatching(/410/),
    })
    const second = await test(site)
    expect(second.attempts_log[0].error).toMatch(/^endpoint disabled/)
    expect(await received(path)).toHaveLength(1)
    await patch(site, { webhook_url: `${R}${path}` })
    expect((await stateOf(site)).webhook.enabled).toBe(true)
  })

  it(
    'logs a receiver that does not answer within 10 s and retries it',
    { timeout: 30_000 },
    async () => {
      const { site } = await hookedSite('slow')
      const d = await test(site)
      expect(d).toMatchObject({ status: 'pending' })
      expect(d.attempts_log[0]).toMatchObject({ status_code: null, error: 'no answer within 10 s' })
    },
  )

  it('logs an unreachable host and retries it', async () => {
    const site = await createSite()
    expect((await patch(site, { webhook_url: 'https://public.example.test/hook' })).status).toBe(
      200,
    )
    const d = await test(site)
    expect(d).toMatchObject({ status: 'pending' })
    expect(d.attempts_log[0].error).toMatch(/^unreachable/)
  })

  it('honours Retry-After', async () => {
    const { site } = await hookedSite('busy')
    const d = await test(site)
    const wait = Date.parse(d.next_attempt_at) - Date.parse(d.attempts_log[0].started_at)
    expect(wait).toBeGreaterThanOrEqual(119_000)
  })

  it('sends again, same webhook-id, a message whose sender died mid-send', async () => {
    const { site, path } = await hookedSite('ok')
    const now = Date.now()
    await env.DB.prepare(
      `INSERT INTO webhook_messages (id, site_id, type, body, created_at, status, attempts, next_attempt_at)
       VALUES ('msg_crash${seq}', ?1, 'test', '{"type":"test"}', ?2, 'pending', 0, ?2)`,
    )
      .bind(site.id, now)
      .run()
    const m = (await findMessage(env.DB, site.id, `msg_crash${seq}`))!
    // The attempt is claimed and recorded, then the process dies before sending.
    await env.DB.batch(claimStatements(env.DB, m, `${R}${path}`, now, now + 5000))
    await deliverSite(site, now + 5000)
    expect(await findMessage(env.DB, site.id, m.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
    })
    expect((await received(path)).map((r) => r.headers['webhook-id'])).toEqual([m.id])
  })

  it('redelivers a delivered message with its webhook-id, and lists every attempt', async () => {
    const { site, path } = await hookedSite('ok')
    const d = await test(site)
    const res = await call(`/v1/sites/${site.id}/alerts/deliveries/${d.id}/redeliver`, {
      method: 'POST',
      token: site.admin,
    })
    expect(res.status).toBe(200)
    expect((await received(path)).map((r) => r.headers['webhook-id'])).toEqual([d.id, d.id])
    const read = await createKey(site, 'read')
    const list = (await (
      await call(`/v1/sites/${site.id}/alerts/deliveries`, { token: read })
    ).json()) as any
    expect(list.deliveries[0]).toMatchObject({ id: d.id, status: 'delivered', attempts: 2 })
    expect(list.deliveries[0].attempts_log.map((a: any) => a.status_code)).toEqual([200, 200])
  })

  it('signs with the old secret too for a day after a rotation', async () => {
    const { site, path, secret } = await hookedSite('ok')
    const rotated = await call(`/v1/sites/${site.id}/webhook/secret`, {
      method: 'POST',
      token: site.admin,
    })
    const { secret: next } = (await rotated.json()) as { secret: string }
    expect(next).toMatch(/^whsec_/)
    await test(site)
    const [r] = await received(path)
    expect(r.headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(await verifies(secret, r)).toBe(true)
    expect(await verifies(next, r)).toBe(true)
  })

  it('needs an admin key to send a test, and a webhook_url', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    expect(
      (await call(`/v1/sites/${site.id}/alerts/test`, { method: 'POST', token: read })).status,
    ).toBe(403)
    const res = await call(`/v1/sites/${site.id}/alerts/test`, {
      method: 'POST',
      token: site.admin,
    })
    expect(res.status).toBe(409)
  })
})

describe('alert config', () => {
  const bad: [string, unknown, RegExp][] = [
    ['an unknown metric', { ...RULE, metric: 'vibes' }, /^alerts\.0\.metric/],
    ['a window under 5m', { ...RULE, window: '2m' }, /^alerts\.0\.window/],
    ['a window over 24h', { ...RULE, window: '25h' }, /^alerts\.0\.window/],
    ['a rate threshold over 1', { ...RULE, threshold: 5 }, /^alerts\.0\.threshold: .*rate/],
    [
      'a latency threshold below 0',
      { ...RULE, metric: 'connection_latency_p95_ms', threshold: -1 },
      /^alerts\.0\.threshold/,
    ],
    [
      'both threshold and use_thresholds',
      { ...RULE, use_thresholds: 'warning' },
      /^alerts\.0\.threshold/,
    ],
    [
      'use_thresholds other than warning or critical',
      { ...RULE, threshold: undefined, use_thresholds: 'panic' },
      /^alerts\.0\.use_thresholds/,
    ],
  ]
  for (const [what, rule, message] of bad) {
    it(`refuses ${what} with a 400 naming the field`, async () => {
      const site = await createSite()
      const res = await patch(site, { alerts: [rule] })
      expect(res.status).toBe(400)
      expect(((await res.json()) as any).error.message).toMatch(message)
    })
  }

  it('refuses a threshold for a metric that does not exist, naming those that do', async () => {
    const site = await createSite()
    const res = await patch(site, {
      thresholds: { conection_success_rate: { warning: 0.9, critical: 0.8, direction: 'below' } },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.message).toMatch(
      /^thresholds\.conection_success_rate: no such metric; .*connection_success_rate/,
    )
  })

  it('reads a config stored before this release checked more, and lets a PATCH repair it', async () => {
    const site = await createSite()
    await env.DB.prepare(
      `UPDATE site_config SET config = json_set(config, '$.thresholds', json(?2)) WHERE site_id = ?1`,
    )
      .bind(
        site.id,
        JSON.stringify({
          connection_latency: { warning: 3000, critical: 6000, direction: 'above' },
        }),
      )
      .run()
    const read = await createKey(site, 'read')
    const got = await call(`/v1/sites/${site.id}/config`, { token: read })
    expect(got.status).toBe(200)
    expect(((await got.json()) as any).config.thresholds).toEqual({})
    expect((await patch(site, { min_sample: 50 })).status).toBe(200)
    expect((await call(`/v1/sites/${site.id}/performance`, { token: read })).status).toBe(200)
  })

  it('refuses two rules with one id', async () => {
    const site = await createSite()
    const res = await patch(site, { alerts: [RULE, RULE] })
    expect(res.status).toBe(400)
  })
})

describe('webhook_url on save', () => {
  const unsafe = [
    'http://hooks.bank.example/x', // not https
    'https://10.1.2.3/x',
    'https://172.20.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://[fc00::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:10.0.0.1]/x',
    'https://metadata.google.internal/x',
    'https://user:pass@public.example.test/x',
    'https://inward.example.test/x', // resolves to 10.0.0.7
    'https://inward6.example.test/x', // resolves to fd00::1
    'https://metadata.example.test/x', // resolves to 169.254.169.254
    'https://mixed.example.test/x', // one of its addresses is 192.168.0.10
    'https://nowhere.example.test/x', // does not resolve
  ]
  for (const url of unsafe) {
    it(`refuses ${url}`, async () => {
      const site = await createSite()
      const res = await patch(site, { webhook_url: url })
      expect(res.status).toBe(400)
      const body = (await res.json()) as any
      expect(body.error.message).toMatch(/^webhook_url/)
      expect((await getConfig(env.DB, site.id)).webhook_url).toBeNull()
    })
  }

  it('refuses at send time a host that has since started resolving inward', async () => {
    const name = `rebind-${unique()}.example.test`
    const dns = (a: string) =>
      fetch(`${R}/_dns`, { method: 'POST', body: JSON.stringify({ name, a: [a] }) })
    await dns('93.184.216.34')
    const site = await createSite()
    expect((await patch(site, { webhook_url: `https://${name}/hook` })).status).toBe(200)
    await dns('10.9.9.9')
    const res = await call(`/v1/sites/${site.id}/alerts/test`, {
      method: 'POST',
      token: site.admin,
    })
    const d = ((await res.json()) as any).delivery
    expect(d.status).toBe('failed')
    expect(d.attempts_log[0].error).toMatch(/^refused: webhook_url .* resolves to 10\.9\.9\.9/)
  })
})

describe('the webhook URL guard without the local-dev flag', () => {
  const guard = (url: string) =>
    checkWebhookUrl(url, { allowLocal: false, resolve: senderOf(env).resolve })
  for (const url of [
    'https://127.0.0.1/x',
    'https://127.8.9.10/x',
    'https://2130706433/x', // 127.0.0.1 written as one number
    'https://0x7f.1/x',
    'https://[::1]/x',
    'https://localhost/x',
    'https://api.localhost/x',
    'http://localhost:8789/x',
    'https://0.0.0.0/x',
    'https://100.100.100.200/x', // Alibaba Cloud metadata, in 100.64/10
    'https://[fd00:ec2::254]/x', // AWS metadata over IPv6
    'https://[::ffff:7f00:1]/x',
    'https://[::127.0.0.1]/x', // IPv4-compatible
    'https://[::ffff:0:127.0.0.1]/x', // IPv4-translated
    'https://[64:ff9b:1::a00:1]/x', // local-use NAT64
    'https://[2001::1]/x', // Teredo
    'https://[2002:0a00:0001::1]/x', // 6to4 of 10.0.0.1
    'https://foo.localhost../x',
    'https://public..example.test/x',
    'https://intranet/x',
  ]) {
    it(`refuses ${url}`, async () => {
      expect((await guard(url)).ok).toBe(false)
    })
  }

  it('lets a public https host through', async () => {
    expect(await guard('https://public.example.test/hook')).toEqual({ ok: true })
    expect(await guard('https://93.184.216.34/hook')).toEqual({ ok: true })
    expect(await guard('https://[2606:4700::1111]/hook')).toEqual({ ok: true })
  })

  it('lets localhost through with the flag, over http too', async () => {
    const local = { allowLocal: true, resolve: senderOf(env).resolve }
    expect(await checkWebhookUrl('http://localhost:8789/x', local)).toEqual({ ok: true })
    expect((await checkWebhookUrl('http://10.0.0.1/x', local)).ok).toBe(false)
  })
})
