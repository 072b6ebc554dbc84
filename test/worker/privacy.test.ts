import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { redact, redactStrict } from '../../worker/ingest/pii'
import { createSite, event, sendBatch, settle, waitForEvents } from './helpers'

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
    ['a card number next to another number', 'paid 2 4111 1111 1111 1111', 'paid [redacted]'],
    ['a card number followed by its expiry', '4111 1111 1111 1111 12/25', '[redacted]/25'],
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
    await sendBatch(site, [event({ path: '/transfer?amount=500&to=bob#confirm' })])
    await waitForEvents(site.id, 1)
    const row = await env.DB.prepare('SELECT path FROM events WHERE site_id = ?1')
      .bind(site.id)
      .first()
    expect(row).toEqual({ path: '/transfer' })
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
