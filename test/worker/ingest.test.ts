import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  call,
  countEvents,
  createKey,
  createSite,
  event,
  ORIGIN,
  sendBatch,
  settle,
  waitForEvents,
} from './helpers'

describe('POST /v1/events', () => {
  it('stores a valid batch and answers 202 with the count', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [
      event(),
      event({ type: 'feature', feature: 'budget_tracking' }),
    ])
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ accepted: 2, duplicates: null, rejected: [] })
    expect(await waitForEvents(site.id, 2)).toBe(2)
  })

  it('stores a resent batch once', async () => {
    const site = await createSite()
    const batch = [event(), event(), event()]
    await sendBatch(site, batch)
    await sendBatch(site, batch)
    await waitForEvents(site.id, 3)
    expect(await settle(site.id)).toBe(3)
  })

  it('stores exactly the valid events of a mixed batch and names the rejected ones', async () => {
    const site = await createSite()
    const good = [event({ id: 'good-1' }), event({ id: 'good-2' })]
    const res = await sendBatch(site, [
      good[0],
      { id: 'bad-1', type: 'page' },
      event({ id: 'bad-2', type: 'nonsense' }),
      good[1],
      event({ id: 'bad-3', ts: Date.now() - 8 * 86_400_000 }),
      event({ id: 'bad-4', ts: Date.now() + 10 * 60_000 }),
      event({ id: 'bad-5', type: 'feature', feature: 'not_a_configured_feature' }),
      event({ id: 'bad-6', type: 'step', workflow: 'account_linking' }),
    ])
    expect(res.status).toBe(202)
    const body = (await res.json()) as {
      accepted: number
      rejected: { index: number; code: string; message: string }[]
    }
    expect(body.accepted).toBe(2)
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_event'],
      [2, 'invalid_event'],
      [4, 'ts_out_of_range'],
      [5, 'ts_out_of_range'],
      [6, 'unknown_feature'],
      [7, 'invalid_event'],
    ])
    expect(body.rejected[0].message).toMatch(/ts/)
    expect(body.rejected[5].message).toMatch(/step events need "run"/)
    await waitForEvents(site.id, 2)
    const { results } = await env.DB.prepare('SELECT id FROM events WHERE site_id = ?1 ORDER BY id')
      .bind(site.id)
      .all()
    expect(results).toEqual([{ id: 'good-1' }, { id: 'good-2' }])
  })

  it('answers 400 when every event of a batch is invalid', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [{ id: 'x' }])
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { rejected: unknown[] } } }
    expect(body.error.code).toBe('invalid_events')
    expect(body.error.details.rejected).toHaveLength(1)
  })

  it('answers 400 with the error shape for a body that is not a batch', async () => {
    const site = await createSite()
    for (const raw of [
      'not json',
      '[]',
      '{"events": "nope"}',
      JSON.stringify({ site: site.pk, events: [] }),
    ]) {
      const res = await call('/v1/events', { method: 'POST', raw, headers: { origin: ORIGIN } })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toMatch(/^invalid_/)
      expect(body.error.message.length).toBeGreaterThan(5)
    }
  })

  it('refuses 101 events with 400', async () => {
    const site = await createSite()
    const res = await sendBatch(
      site,
      Array.from({ length: 101 }, () => event()),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 100/,
    )
    expect(await settle(site.id)).toBe(0)
  })

  it('refuses a 65 KB body with 413', async () => {
    const site = await createSite()
    const events = Array.from({ length: 100 }, () =>
      event({ path: '/' + 'a'.repeat(500), props: { note: 'b'.repeat(150) } }),
    )
    const raw = JSON.stringify({ site: site.pk, events })
    expect(raw.length).toBeGreaterThan(65 * 1024)
    const res = await call('/v1/events', { method: 'POST', raw, headers: { origin: ORIGIN } })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
  })

  it('accepts application/json as well as text/plain, and refuses other content types with 415', async () => {
    const site = await createSite()
    expect((await sendBatch(site, [event()], { 'content-type': 'application/json' })).status).toBe(
      202,
    )
    expect(
      (await sendBatch(site, [event()], { 'content-type': 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(415)
  })

  it('rejects revenue sent with the public key, and takes it from a secret ingest key', async () => {
    const site = await createSite()
    const revenue = event({ type: 'revenue', value: 19.99, currency: 'USD', name: 'one_time' })
    const res = await sendBatch(site, [revenue, event()])
    expect(((await res.json()) as { rejected: { code: string }[] }).rejected).toEqual([
      expect.objectContaining({ index: 0, code: 'type_not_allowed' }),
    ])
    const ingest = await createKey(site, 'ingest')
    const server = await call('/v1/events', {
      method: 'POST',
      token: ingest,
      body: { events: [revenue] },
    })
    expect(server.status).toBe(202)
    expect(await server.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    await waitForEvents(site.id, 2)
    const row = await env.DB.prepare(
      'SELECT type, value, currency, device FROM events WHERE site_id = ?1 AND id = ?2',
    )
      .bind(site.id, revenue.id)
      .first()
    expect(row).toEqual({ type: 'revenue', value: 19.99, currency: 'USD', device: null })
  })

  it("stores a backend's event beside a page's event with the same id, and counts a resend as a duplicate", async () => {
    const site = await createSite()
    const ingest = await createKey(site, 'ingest')
    // Anyone who reads the page's pk_ can send an event under the id the backend will use.
    expect((await sendBatch(site, [event({ id: 'order-42' })])).status).toBe(202)
    await waitForEvents(site.id, 1)
    const revenue = event({
      id: 'order-42',
      type: 'revenue',
      value: 19.99,
      currency: 'USD',
      name: 'one_time',
    })
    const send = () =>
      call('/v1/events', { method: 'POST', token: ingest, body: { events: [revenue] } })
    expect(await (await send()).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    // No waiting: a backend's batch is stored before the answer.
    const { results } = await env.DB.prepare(
      "SELECT type, value FROM events WHERE site_id = ?1 AND id = 'order-42' ORDER BY type",
    )
      .bind(site.id)
      .all()
    expect(results).toEqual([
      { type: 'page', value: null },
      { type: 'revenue', value: 19.99 },
    ])
    expect(await (await send()).json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] })
    expect(await countEvents(site.id)).toBe(2)
  })

  it('refuses a public key from an origin the site does not allow, or with no origin', async () => {
    const site = await createSite()
    const other = await sendBatch(site, [event()], { origin: 'https://evil.example' })
    expect(other.status).toBe(403)
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe(
      'origin_not_allowed',
    )
    const none = await call('/v1/events', {
      method: 'POST',
      raw: JSON.stringify({ site: site.pk, events: [event()] }),
      headers: { 'user-agent': 'Mozilla/5.0 Chrome/126' },
    })
    expect(none.status).toBe(403)
    expect(await settle(site.id)).toBe(0)
  })

  it('answers CORS with the calling origin only, and handles the preflight', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [event()])
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('vary')).toMatch(/Origin/)
    const other = await sendBatch(site, [event()], { origin: 'https://evil.example' })
    expect(other.status).toBe(403)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await call('/v1/events', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST')
  })

  it('answers 401 for an unknown public key or secret key, and 403 for a read key', async () => {
    const site = await createSite()
    const unknown = await call('/v1/events', {
      method: 'POST',
      raw: JSON.stringify({ site: 'pk_nope', events: [event()] }),
      headers: { origin: ORIGIN },
    })
    expect(unknown.status).toBe(401)
    expect(
      (await call('/v1/events', { method: 'POST', token: 'sk_nope', body: { events: [event()] } }))
        .status,
    ).toBe(401)
    const read = await createKey(site, 'read')
    expect(
      (await call('/v1/events', { method: 'POST', token: read, body: { events: [event()] } }))
        .status,
    ).toBe(403)
  })

  it('rejects a second event with the same id in one batch', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [
      event({ id: 'dup', path: '/a' }),
      event({ id: 'dup', path: '/b' }),
    ])
    const body = (await res.json()) as {
      accepted: number
      rejected: { index: number; code: string }[]
    }
    expect(body.accepted).toBe(1)
    expect(body.rejected).toEqual([expect.objectContaining({ index: 1, code: 'duplicate_id' })])
    await waitForEvents(site.id, 1)
    expect(
      await env.DB.prepare('SELECT path FROM events WHERE site_id = ?1').bind(site.id).first(),
    ).toEqual({ path: '/a' })
  })

  it('takes events only from ingest keys, not admin keys', async () => {
    const site = await createSite()
    const res = await call('/v1/events', {
      method: 'POST',
      token: site.admin,
      body: { events: [event()] },
    })
    expect(res.status).toBe(403)
  })

  it('refuses a secret key that names another site in the body', async () => {
    const [a, b] = [await createSite(), await createSite()]
    const ingest = await createKey(a, 'ingest')
    const res = await call('/v1/events', {
      method: 'POST',
      token: ingest,
      body: { site: b.pk, events: [event()] },
    })
    expect(res.status).toBe(403)
    expect(await countEvents(b.id)).toBe(0)
  })
})
