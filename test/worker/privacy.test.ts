import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { redact } from '../../worker/ingest/pii'
import { redactStrict } from '../../worker/ingest/pii-strict'
import { rebuildDay } from '../../worker/rollups'
import {
  BROWSER_UA,
  ORIGIN,
  call,
  createKey,
  createSite,
  event,
  sendBatch,
  settle,
  waitForEvents,
} from './helpers'
import { ORDINARY, PLANTED } from './pii-forms'

async function counters(siteId: string) {
  return env.DB.prepare(
    'SELECT sum(redactions) AS redactions, sum(bots_dropped) AS bots, sum(rejected_events) AS rejected FROM site_counters WHERE site_id = ?1',
  )
    .bind(siteId)
    .first<{ redactions: number; bots: number; rejected: number }>()
}

describe('the privacy guard', () => {
  it.each([
    ['a card number', 'card 4111 1111 1111 1111 used', 'card [redacted] used'],
    ['a dashed card number', '5500-0000-0000-0004', '[redacted]'],
    ['an IBAN', 'to DE89 3704 0044 0532 0130 00 today', 'to [redacted] today'],
    ['an email address', 'from jane.doe+bank@example.co.uk', 'from [redacted]'],
    ['a run of 8+ digits', '/accounts/12345678/details', '/accounts/[redacted]/details'],
  ])('redacts %s', (_, input, output) => {
    expect(redact(input)).toBe(output)
  })

  it.each([
    ['a grouped number failing Luhn', 'ref 4111 1111 1111 1112'],
    ['a short number', 'order 1234567'],
    ['an amount', '1,299.00 USD'],
  ])('leaves %s alone', (_, input) => {
    expect(redact(input)).toBe(input)
  })

  it.each([
    ['a card number next to another number', 'paid 2 4111 1111 1111 1111', 'paid 2 [redacted]'],
    ['a card number followed by its expiry', '4111 1111 1111 1111 12/25', '[redacted] 12/25'],
    ['an IBAN in lower case', 'to de89 3704 0044 0532 0130 00', 'to [redacted]'],
    ['an email address outside ASCII', 'jöhn@exämple.com', '[redacted]'],
  ])('redacts, on the server, %s', (_, input, output) => {
    expect(redactStrict(input)).toBe(output)
  })

  it('redacts PII in props keys and long integers in props, and counts it', async () => {
    const site = await createSite()
    await sendBatch(site, [
      event({
        id: 'keys',
        props: { 'jane@example.com': 'x', card: 4111111111111111, amount: 1299 },
      }),
    ])
    await waitForEvents(site.id, 1)
    const row = await env.DB.prepare('SELECT props FROM events WHERE site_id = ?1')
      .bind(site.id)
      .first()
    expect(row).toEqual({ props: '{"[redacted]":"x","card":"[redacted]","amount":1299}' })
    await settle(site.id)
    expect((await counters(site.id))?.redactions).toBe(1)
  })

  it('rejects an event whose id, user, session or run id looks like PII, rather than merging users', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [
      event({ uid: 'jane@example.com' }),
      event({ uid: '123456789' }),
      event({ sid: 'DE89370400440532013000' }),
      event({ type: 'step', workflow: 'account_linking', step: 'start', run: '4111111111111111' }),
      event({ id: 'evt-jane@example.com' }),
      event({ uid: '[redacted]' }),
      event({ uid: 'cust_7f3a9' }),
    ])
    const body = (await res.json()) as {
      accepted: number
      rejected: { index: number; code: string }[]
    }
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [i, 'pii_in_identifier']),
    )
  })

  it('stores a card number in props as [redacted] and counts the event', async () => {
    const site = await createSite()
    await sendBatch(site, [
      event({ id: 'pii-1', props: { note: 'paid with 4111111111111111', ok: 'fine', n: 3 } }),
      event({ id: 'pii-2', path: '/users/jane@example.com/settings' }),
      event({ id: 'clean' }),
    ])
    await waitForEvents(site.id, 3)
    const rows = await env.DB.prepare(
      'SELECT id, uid, path, props FROM events WHERE site_id = ?1 ORDER BY id',
    )
      .bind(site.id)
      .all()
    expect(rows.results).toEqual([
      { id: 'clean', uid: 'u1', path: '/', props: null },
      {
        id: 'pii-1',
        uid: 'u1',
        path: '/',
        props: '{"note":"paid with [redacted]","ok":"fine","n":3}',
      },
      { id: 'pii-2', uid: 'u1', path: '/users/[redacted]/settings', props: null },
    ])
    expect((await counters(site.id))?.redactions).toBe(2)
  })

  it('counts events the tracker already redacted', async () => {
    const site = await createSite()
    await sendBatch(site, [event({ props: { note: 'paid with [redacted]' } }), event()])
    await waitForEvents(site.id, 2)
    await settle(site.id)
    expect((await counters(site.id))?.redactions).toBe(1)
  })

  it('strips query strings and fragments from paths', async () => {
    const site = await createSite()
    await sendBatch(site, [
      event({ path: '/transfer?amount=500&to=bob#confirm' }),
      // A line break in the query hides nothing after it.
      event({ path: '/search?q=jane\ndoe@bank.example#x' }),
    ])
    await waitForEvents(site.id, 2)
    const { results } = await env.DB.prepare('SELECT path FROM events WHERE site_id = ?1')
      .bind(site.id)
      .all()
    expect(results.map((r) => r.path).sort()).toEqual(['/search', '/transfer'])
  })

  it('keeps no IP address, user agent or cookie: only the device class', async () => {
    const site = await createSite()
    const ipad =
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1'
    await sendBatch(site, [event({ id: 'tablet' })], {
      'user-agent': ipad,
      'cf-connecting-ip': '203.0.113.77',
      cookie: 'session=abc',
    })
    await waitForEvents(site.id, 1)
    const row = await env.DB.prepare('SELECT * FROM events WHERE site_id = ?1')
      .bind(site.id)
      .first<Record<string, unknown>>()
    expect(row?.device).toBe('tablet')
    const stored = JSON.stringify(row)
    for (const secret of ['203.0.113.77', 'iPad; CPU', 'Safari', 'session=abc'])
      expect(stored).not.toContain(secret)
    const columns = await env.DB.prepare("SELECT name FROM pragma_table_info('events')").all<{
      name: string
    }>()
    expect(
      columns.results.map((c) => c.name).filter((n) => /ip|agent|cookie|query/i.test(n)),
    ).toEqual([])
  })

  it('derives mobile and desktop devices from the user agent', async () => {
    const site = await createSite()
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
    await sendBatch(site, [event({ id: 'm' })], { 'user-agent': iphone })
    await sendBatch(site, [event({ id: 'd' })])
    await waitForEvents(site.id, 2)
    const { results } = await env.DB.prepare(
      'SELECT id, device FROM events WHERE site_id = ?1 ORDER BY id',
    )
      .bind(site.id)
      .all()
    expect(results).toEqual([
      { id: 'd', device: 'desktop' },
      { id: 'm', device: 'mobile' },
    ])
  })

  it('drops bot traffic and counts it', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [event(), event()], {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)',
    })
    expect(res.status).toBe(202)
    await sendBatch(site, [event()], { 'user-agent': 'Mozilla/5.0 HeadlessChrome/126.0' })
    expect(await settle(site.id)).toBe(0)
    expect((await counters(site.id))?.bots).toBe(3)
  })

  it('counts rejected events', async () => {
    const site = await createSite()
    await sendBatch(site, [event(), { id: 'bad' }, { id: 'worse' }])
    await waitForEvents(site.id, 1)
    await settle(site.id)
    expect((await counters(site.id))?.rejected).toBe(2)
  })
})

/** Every stored string field, and an event that carries `v` in it. */
const FIELDS: Record<string, (v: string, run: string) => Record<string, unknown>> = {
  tier: (v) => ({ tier: v }),
  path: (v) => ({ path: v.startsWith('/') ? v : `/p/${v}` }),
  'props key': (v) => ({ props: { [v]: 'x' } }),
  'props value': (v) => ({ props: { note: v } }),
  reason: (v, run) => ({ ...step(run), step: 'verify', status: 'failed', reason: v }),
  workflow: (v, run) => ({ ...step(run), workflow: v }),
  step: (v, run) => ({ ...step(run), step: v }),
  run: (v, run) => ({ ...step(run), run: v }),
  institution: (v) => ({ type: 'connection', institution: v, status: 'failed' }),
  journey: (v) => ({ type: 'stage', stage: 'onboarding', journey: v }),
  name: (v) => ({ type: 'conversion', name: v }),
  feature: (v) => ({ type: 'feature', feature: v }),
  id: (v) => ({ id: v }),
  uid: (v) => ({ uid: v }),
  sid: (v) => ({ sid: v }),
}
const step = (run: string) => ({ type: 'step', workflow: 'account_linking', run, step: 'start' })

/** Sends `values` in every field, 100 events a request; the answers' rejections and counts. */
async function plant(site: { id: string; pk: string; admin: string }, values: string[]) {
  const sent = values.flatMap((v, i) =>
    Object.entries(FIELDS).map(([field, fields]) => ({
      field,
      value: v,
      event: event(fields(v, `run-${i}-${field.length}`)),
    })),
  )
  let accepted = 0
  const rejected: { field: string; value: string; code: string }[] = []
  for (let i = 0; i < sent.length; i += 100) {
    const part = sent.slice(i, i + 100)
    const res = await sendBatch(
      site,
      part.map((p) => p.event),
    )
    const body = (await res.json()) as {
      accepted?: number
      rejected?: { index: number; code: string }[]
      error?: { details: { rejected: { index: number; code: string }[] } }
    }
    accepted += body.accepted ?? 0
    for (const r of body.rejected ?? body.error!.details.rejected) {
      rejected.push({ field: part[r.index].field, value: part[r.index].value, code: r.code })
    }
  }
  await waitForEvents(site.id, accepted)
  return { sent, accepted, rejected }
}

/** Every non-null value of every row of every table, as text. */
async function everyStoredValue(): Promise<{ table: string; text: string }[]> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ).all<{ name: string }>()
  const out: { table: string; text: string }[] = []
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all()
    for (const row of results)
      for (const v of Object.values(row))
        if (v !== null)
          out.push({
            table: name,
            text: v instanceof ArrayBuffer ? new TextDecoder().decode(v) : String(v),
          })
  }
  return out
}

/** Any spelling of a value, reduced to its letters and digits: what a reader could recover. */
function bare(s: string): string {
  let t = s
  for (let i = 0; i < 3; i++)
    t = t.replace(/%[0-9a-f]{2}/gi, (m) => {
      try {
        return decodeURIComponent(m)
      } catch {
        return m
      }
    })
  return t
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .toLowerCase()
    .replace(/[^a-z0-9@]/g, '')
}

/** The `n`-character stretches of a secret: any one of them left in place is a fragment. */
function pieces(secret: string, n: number): string[] {
  const s = bare(secret)
  return Array.from({ length: Math.max(1, s.length - n + 1) }, (_, i) => s.slice(i, i + n))
}

describe('PII in any spelling', () => {
  it.each(PLANTED.map((p) => [p.form, p.secret]))('redacts %j on the server', (form, secret) => {
    const left = bare(redactStrict(form))
    expect(pieces(secret, 6).filter((p) => left.includes(p))).toEqual([])
  })

  it.each(ORDINARY)('leaves %j alone on the server', (value) => {
    expect(redactStrict(value)).toBe(value)
  })

  it('stores none of the planted values, in any field, in any table', async () => {
    const site = await createSite()
    const { accepted } = await plant(
      site,
      PLANTED.map((p) => p.form),
    )
    expect(accepted).toBeGreaterThan(100)
    const { results: days } = await env.DB.prepare(
      'SELECT day FROM rollup_dirty WHERE site_id = ?1',
    )
      .bind(site.id)
      .all<{ day: string }>()
    for (const { day } of days) await rebuildDay(env.DB, site.id, day)
    const read = await createKey(site, 'read')
    for (const path of ['features/value', 'workflows', 'performance', 'journeys', 'dashboard'])
      expect((await call(`/v1/sites/${site.id}/${path}`, { token: read })).status).toBe(200)

    const found = []
    for (const cell of await everyStoredValue()) {
      const text = bare(cell.text)
      const digits = text.replace(/\D/g, '')
      for (const { form, secret } of PLANTED) {
        const d = bare(secret).replace(/\D/g, '')
        if (
          pieces(secret, 10).some((p) => text.includes(p)) ||
          (d.length >= 13 && digits.includes(d))
        )
          found.push({ table: cell.table, form, stored: cell.text })
      }
    }
    expect(found).toEqual([])
  })

  it('stores ordinary values untouched in every field and counts no redaction', async () => {
    const site = await createSite()
    const { sent, accepted, rejected } = await plant(site, ORDINARY)
    expect(rejected.filter((r) => !['invalid_event', 'unknown_feature'].includes(r.code))).toEqual(
      [],
    )
    const { results } = await env.DB.prepare('SELECT * FROM events WHERE site_id = ?1')
      .bind(site.id)
      .all<Record<string, unknown>>()
    expect(results).toHaveLength(accepted)
    const byId = new Map(results.map((r) => [r.id, r]))
    for (const { event: e } of sent) {
      const row = byId.get(e.id)
      if (!row) continue
      for (const [k, v] of Object.entries(e))
        expect(row[k], k).toEqual(k === 'props' ? JSON.stringify(v) : v)
    }
    await settle(site.id)
    expect((await counters(site.id))?.redactions ?? 0).toBe(0)
  })
})

type IngestBody = { accepted?: number; rejected?: { index: number; code: string }[] }
/** Each event's rejection code, or 'ok' for the accepted ones. */
async function codes(res: Response, n: number): Promise<string[]> {
  const body = (await res.json()) as IngestBody & {
    error?: { details: { rejected: { index: number; code: string }[] } }
  }
  const rejected = body.rejected ?? body.error!.details.rejected
  return Array.from({ length: n }, (_, i) => rejected.find((r) => r.index === i)?.code ?? 'ok')
}

describe('numbers and names', () => {
  it('rejects a numeric value that is a card number', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [
      event({ type: 'metric', name: 'latency_ms', value: 4000056655665556 }),
      event({ type: 'metric', name: 'latency_ms', value: 378282246310005 }),
      event({ type: 'metric', name: 'latency_ms', value: 840 }),
    ])
    expect(await codes(res, 3)).toEqual(['pii_in_value', 'pii_in_value', 'ok'])
  })

  it('rejects values beyond ±1e9, so a revenue of 1.7e308 cannot turn the revenue KPI null', async () => {
    const site = await createSite()
    const ingest = await createKey(site, 'ingest')
    const revenue = (value: number) =>
      event({ type: 'revenue', name: 'one_time', value, currency: 'USD' })
    const res = await call('/v1/events', {
      method: 'POST',
      token: ingest,
      body: {
        events: [
          revenue(100),
          revenue(1.7e308),
          revenue(-2e9),
          event({ type: 'metric', name: 'latency_ms', value: 1e9 }),
        ],
      },
    })
    expect(await codes(res, 4)).toEqual(['ok', 'value_out_of_range', 'value_out_of_range', 'ok'])
    await waitForEvents(site.id, 2)
    const { results } = await env.DB.prepare('SELECT day FROM rollup_dirty WHERE site_id = ?1')
      .bind(site.id)
      .all<{ day: string }>()
    for (const { day } of results) await rebuildDay(env.DB, site.id, day)
    const read = await createKey(site, 'read')
    const dashboard = await call(`/v1/sites/${site.id}/dashboard`, { token: read })
    expect(((await dashboard.json()) as { kpis: { revenue: number } }).kpis.revenue).toBe(100)
  })

  it('rejects NUL and lone surrogates in any string field', async () => {
    const site = await createSite()
    const events = [
      event({ tier: 'free\u0000' }),
      event({ path: '/a\u0000b' }),
      event({ uid: 'u\uD800' }),
      event({ sid: '\uDC00s' }),
      event({ props: { ['k\u0000']: 'x' } }),
      event({ props: { note: 'x\uDBFF' } }),
      event({ type: 'conversion', name: 'signup\u0000' }),
      event({ tier: 'pr\uD83D\uDE00mium' }),
    ]
    expect(await codes(await sendBatch(site, events), events.length)).toEqual([
      ...Array(7).fill('invalid_characters'),
      'ok',
    ])
  })

  it('refuses a props key __proto__ rather than dropping it silently', async () => {
    const site = await createSite()
    const raw = `{"id":"proto","type":"page","ts":${Date.now()},"uid":"u1","path":"/","props":{"__proto__":"x"}}`
    const res = await call('/v1/events', {
      method: 'POST',
      raw: `{"site":"${site.pk}","events":[${raw}]}`,
      headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': BROWSER_UA },
    })
    expect(await codes(res, 1)).toEqual(['invalid_event'])
  })
})
