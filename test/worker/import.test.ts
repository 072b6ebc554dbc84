/**
 * `POST /v1/sites/:site/import` (DESIGN §6, §7.9): history back to retention_days, each
 * request one transaction, idempotent on event id in the backend's id space, its days marked
 * for a rollup rebuild.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { IngestResponse } from '../../worker/schemas'
import { call, countEvents, createKey, createSite, sendBatch, waitForEvents } from './helpers'
import type { TestSite } from './helpers'

const DAY = 86_400_000
let seq = 0

/** A renewal `daysAgo` days back, as a bank's billing system would export it. */
function renewal(daysAgo: number, fields: Record<string, unknown> = {}) {
  return {
    id: `imp-${Date.now().toString(36)}-${++seq}`,
    type: 'revenue',
    ts: Date.now() - daysAgo * DAY,
    uid: `c-${seq % 7}`,
    name: 'subscription_renewed',
    tier: 'plus',
    value: 9.99,
    currency: 'USD',
    ...fields,
  }
}

function importBatch(site: TestSite, events: unknown[], token = site.admin) {
  return call(`/v1/sites/${site.id}/import`, { method: 'POST', token, body: { events } })
}

async function answer(res: Response) {
  return (await res.json()) as IngestResponse & { error?: { code: string; message: string } }
}

async function dirtyDays(siteId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    'SELECT day FROM rollup_dirty WHERE site_id = ?1 ORDER BY day',
  )
    .bind(siteId)
    .all<{ day: string }>()
  return results.map((r) => r.day)
}

describe('POST /v1/sites/:site/import', () => {
  it('stores the valid events of a batch and names the rejected ones', async () => {
    const site = await createSite()
    const res = await importBatch(site, [
      renewal(100),
      { id: 'no-type', ts: Date.now() },
      renewal(40, { type: 'page', path: '/accounts', name: undefined, value: undefined }),
      renewal(10, { currency: 'EUR' }),
    ])
    expect(res.status).toBe(200)
    const body = await answer(res)
    expect(body.accepted).toBe(2)
    expect(body.duplicates).toBe(0)
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_event'],
      [3, 'currency_mismatch'],
    ])
    expect(await countEvents(site.id)).toBe(2)
  })

  it("takes events back to the site's retention_days and rejects older ones", async () => {
    const site = await createSite()
    const patch = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { retention_days: 30 },
    })
    expect(patch.status).toBe(200)
    const body = await answer(await importBatch(site, [renewal(29), renewal(31)]))
    expect(body.accepted).toBe(1)
    expect(body.rejected).toEqual([
      { index: 1, code: 'ts_out_of_range', message: expect.stringMatching(/last 30 days/) },
    ])
  })

  it('rejects events more than 5 minutes in the future', async () => {
    const site = await createSite()
    const body = await answer(
      await importBatch(site, [renewal(0, { ts: Date.now() + 10 * 60_000 }), renewal(1)]),
    )
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[0, 'ts_out_of_range']])
  })

  it('stores a re-imported batch once and counts it as duplicates', async () => {
    const site = await createSite()
    const events = [renewal(200), renewal(150), renewal(3)]
    expect(await answer(await importBatch(site, events))).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: [],
    })
    expect(await answer(await importBatch(site, events))).toEqual({
      accepted: 0,
      duplicates: 3,
      rejected: [],
    })
    expect(await countEvents(site.id)).toBe(3)
  })

  it("counts an event the backend sent with its ingest key as a duplicate, not a page's", async () => {
    const site = await createSite()
    const ingest = await createKey(site, 'ingest')
    const sent = renewal(1)
    const res = await call('/v1/events', {
      method: 'POST',
      token: ingest,
      body: { events: [sent] },
    })
    expect(res.status).toBe(202)
    const page = { id: 'shared-id', type: 'page', ts: Date.now() - 1000, path: '/' }
    expect((await sendBatch(site, [page])).status).toBe(202)
    await waitForEvents(site.id, 2)
    const body = await answer(await importBatch(site, [sent, { ...page, ts: page.ts - DAY }]))
    expect(body).toEqual({ accepted: 1, duplicates: 1, rejected: [] })
    expect(await countEvents(site.id)).toBe(3)
  })

  it('marks every day it stored events on for a rollup rebuild', async () => {
    const site = await createSite()
    const at = (iso: string) => renewal(0, { ts: Date.parse(iso) })
    const year = new Date().getUTCFullYear()
    const days = [`${year - 1}-12-30`, `${year - 1}-12-31`]
    const recent = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10)
    await importBatch(site, [
      at(`${days[0]}T08:00:00Z`),
      at(`${days[0]}T23:59:59Z`),
      at(`${days[1]}T00:00:00Z`),
      at(`${recent}T12:00:00Z`),
    ])
    expect(await dirtyDays(site.id)).toEqual([...days, recent])
  })

  it('leaves nothing behind when one statement of the batch fails', async () => {
    const site = await createSite()
    // The collector's counts are written after the events and the dirty days: make that fail.
    await env.DB.prepare(
      `CREATE TRIGGER import_fails_${site.id.replace(/-/g, '_')} BEFORE INSERT ON site_counters
       WHEN NEW.site_id = '${site.id}' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`,
    ).run()
    const events = Array.from({ length: 250 }, (_, i) => renewal(1 + (i % 90)))
    const failed = await importBatch(site, events)
    expect(failed.status).toBe(500)
    expect(await countEvents(site.id)).toBe(0)
    expect(await dirtyDays(site.id)).toEqual([])
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE site_id = ?1 AND action = 'events.import'",
    )
      .bind(site.id)
      .first<{ n: number }>()
    expect(audit!.n).toBe(0)
    await env.DB.prepare(`DROP TRIGGER import_fails_${site.id.replace(/-/g, '_')}`).run()
    expect((await answer(await importBatch(site, events))).accepted).toBe(250)
  })

  it('takes 5,000 events in one request, past the 256 KB bound of other bodies', async () => {
    const site = await createSite()
    const events = Array.from({ length: 5000 }, (_, i) => renewal(1 + (i % 300)))
    const res = await importBatch(site, events)
    expect(JSON.stringify({ events }).length).toBeGreaterThan(256 * 1024)
    expect(await answer(res)).toEqual({ accepted: 5000, duplicates: 0, rejected: [] })
    expect(await countEvents(site.id)).toBe(5000)
  })

  it('refuses more than 5,000 events with 413', async () => {
    const site = await createSite()
    const res = await importBatch(
      site,
      Array.from({ length: 5001 }, () => renewal(1)),
    )
    expect(res.status).toBe(413)
    expect((await answer(res)).error!.message).toMatch(/5000 events/)
    expect(await countEvents(site.id)).toBe(0)
  })

  it('refuses a body past 5 MB with 413', async () => {
    const site = await createSite()
    const padding = 'x'.repeat(5 * 1024 * 1024)
    const res = await call(`/v1/sites/${site.id}/import`, {
      method: 'POST',
      token: site.admin,
      raw: JSON.stringify({ events: [renewal(1, { path: padding })] }),
    })
    expect(res.status).toBe(413)
  })

  it('needs an admin key: an ingest key is refused', async () => {
    const site = await createSite()
    const res = await importBatch(site, [renewal(1)], await createKey(site, 'ingest'))
    expect(res.status).toBe(403)
  })

  it('refuses a batch whose "site" is another site\'s public key', async () => {
    const [site, other] = [await createSite(), await createSite()]
    const res = await call(`/v1/sites/${site.id}/import`, {
      method: 'POST',
      token: site.admin,
      body: { site: other.pk, events: [renewal(1)] },
    })
    expect(res.status).toBe(403)
  })

  it('writes an audit row with the key, the events and the days they span', async () => {
    const site = await createSite()
    const day = new Date(Date.now() - 100 * DAY).toISOString().slice(0, 10)
    await importBatch(site, [renewal(0, { ts: Date.parse(`${day}T10:00:00Z`) }), { id: 'x' }])
    const res = await call(`/v1/sites/${site.id}/audit?action=events.import`, { token: site.admin })
    const { entries } = (await res.json()) as {
      entries: { action: string; target: string; details: unknown }[]
    }
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'events.import',
        target: 'events',
        details: { valid: 1, rejected: 1, from: day, to: day },
      }),
    ])
  })
})
