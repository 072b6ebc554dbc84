import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { purgeAuditLog } from '../../worker/db/audit'
import { purgeExpiredEvents } from '../../worker/scheduled'
import { call, createKey, createSite, type TestSite } from './helpers'

const DAY = 86_400_000

type Entry = {
  id: number
  at: string
  key_id: string | null
  action: string
  target: string | null
  details: unknown
}
type Page = { entries: Entry[]; next_cursor: string | null }

async function audit(site: TestSite, query = '', token = site.admin): Promise<Page> {
  const res = await call(`/v1/sites/${site.id}/audit${query}`, { token })
  if (res.status !== 200) throw new Error(`audit: ${res.status} ${await res.text()}`)
  return (await res.json()) as Page
}

/** Audit rows written straight to D1, `age` days old, for the purge and the time filters. */
async function plant(siteId: string, rows: { action: string; age: number }[], now = Date.now()) {
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        'INSERT INTO audit_log (site_id, key_id, action, details, at) VALUES (?1, NULL, ?2, NULL, ?3)',
      ).bind(siteId, r.action, now - r.age * DAY),
    ),
  )
}

describe('GET /v1/sites/:site/audit', () => {
  it('lists admin actions newest first, with key, action, target and time', async () => {
    const site = await createSite()
    const created = await call(`/v1/sites/${site.id}/keys`, {
      method: 'POST',
      token: site.admin,
      body: { role: 'read' },
    })
    const { id } = (await created.json()) as { id: string }
    await call(`/v1/sites/${site.id}/keys/${id}`, { method: 'DELETE', token: site.admin })
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { retention_days: 90 },
    })
    const { entries } = await audit(site)
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['config.update', 'config'],
      ['key.revoke', `key:${id}`],
      ['key.create', `key:${id}`],
      ['site.create', 'site'],
    ])
    const me = (
      (await (await call('/v1/whoami', { token: site.admin })).json()) as {
        key: { id: string }
      }
    ).key.id
    expect(entries[0]).toMatchObject({ key_id: me, details: { fields: ['retention_days'] } })
    expect(entries.at(-1)!.key_id).toBeNull() // the ADMIN_TOKEN made the site
    expect(Date.parse(entries[0].at)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('pages with a cursor, every row once', async () => {
    const site = await createSite()
    await plant(
      site.id,
      Array.from({ length: 7 }, (_, i) => ({ action: `test.${i}`, age: 0 })),
    )
    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Page = await audit(site, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.entries.length).toBeLessThanOrEqual(3)
      seen.push(...page.entries.map((e) => e.id))
      cursor = page.next_cursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBe(3)
    expect(seen).toHaveLength(8) // 7 planted and site.create
    expect(new Set(seen).size).toBe(8)
    expect([...seen].sort((a, b) => b - a)).toEqual(seen) // same `at`: newest id first
  })

  it('filters by action, key and time', async () => {
    const site = await createSite()
    await createKey(site, 'read')
    await plant(site.id, [
      { action: 'old.thing', age: 40 },
      { action: 'old.thing', age: 10 },
    ])
    const actions = async (q: string) => (await audit(site, q)).entries.map((e) => e.action)
    expect(await actions('?action=key.create')).toEqual(['key.create'])
    const day = (age: number) => new Date(Date.now() - age * DAY).toISOString().slice(0, 10)
    expect(await actions(`?from=${day(45)}&to=${day(20)}`)).toEqual(['old.thing'])
    expect(await actions(`?action=old.thing&from=${day(12)}`)).toEqual(['old.thing'])
    const me = (
      (await (await call('/v1/whoami', { token: site.admin })).json()) as {
        key: { id: string }
      }
    ).key.id
    expect(await actions(`?key_id=${me}`)).toEqual(['key.create'])
  })

  it('is for admin keys only', async () => {
    const site = await createSite()
    for (const role of ['read', 'ingest']) {
      const res = await call(`/v1/sites/${site.id}/audit`, { token: await createKey(site, role) })
      expect(res.status).toBe(403)
    }
    expect((await call(`/v1/sites/${site.id}/audit`)).status).toBe(401)
    const other = await createSite()
    expect((await call(`/v1/sites/${site.id}/audit`, { token: other.admin })).status).toBe(403)
  })

  it('answers 400 for a cursor it did not give, a bad limit or an impossible date', async () => {
    const site = await createSite()
    for (const q of ['?cursor=nope', '?limit=0', '?limit=1000', '?from=2026-13-01', '?x=1']) {
      const res = await call(`/v1/sites/${site.id}/audit${q}`, { token: site.admin })
      expect(res.status, q).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    }
  })
})

describe('the audit log', () => {
  it('cannot be changed, nor cut short of audit_retention_days', async () => {
    const site = await createSite()
    await plant(site.id, [{ action: 'recent', age: 100 }])
    await expect(
      env.DB.prepare("UPDATE audit_log SET action = 'forged' WHERE site_id = ?1")
        .bind(site.id)
        .run(),
    ).rejects.toThrow(/append-only/)
    await expect(
      env.DB.prepare('DELETE FROM audit_log WHERE site_id = ?1').bind(site.id).run(),
    ).rejects.toThrow(/audit_retention_days/)
    expect((await audit(site)).entries).toHaveLength(2)
  })

  it('keeps audit_retention_days within 365 and 3,650 days, 2,555 by default', async () => {
    const site = await createSite()
    const config = async () =>
      (
        (await (await call(`/v1/sites/${site.id}/config`, { token: site.admin })).json()) as {
          config: { audit_retention_days: number }
        }
      ).config
    expect((await config()).audit_retention_days).toBe(2555)
    for (const days of [364, 3651, 400.5]) {
      const res = await call(`/v1/sites/${site.id}/config`, {
        method: 'PATCH',
        token: site.admin,
        body: { audit_retention_days: days },
      })
      expect(res.status, String(days)).toBe(400)
    }
    expect((await config()).audit_retention_days).toBe(2555)
  })

  it("is purged by cron past the site's audit_retention_days", async () => {
    const site = await createSite()
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { audit_retention_days: 365 },
    })
    await plant(site.id, [
      { action: 'expired', age: 366 },
      { action: 'kept', age: 364 },
    ])
    await purgeExpiredEvents(env.DB, Date.now(), { left: 200 })
    const actions = (await audit(site)).entries.map((e) => e.action)
    expect(actions).toEqual(['config.update', 'site.create', 'kept'])
  })

  it('is purged in bounded batches', async () => {
    const site = await createSite()
    await plant(
      site.id,
      Array.from({ length: 5 }, () => ({ action: 'expired', age: 3000 })),
    )
    const cutoff = Date.now() - 2555 * DAY
    expect((await purgeAuditLog(env.DB, site.id, cutoff, 2).run()).meta.changes).toBe(2)
    expect((await purgeAuditLog(env.DB, site.id, cutoff, 2).run()).meta.changes).toBe(2)
    expect((await purgeAuditLog(env.DB, site.id, cutoff, 2).run()).meta.changes).toBe(1)
    expect((await audit(site)).entries.map((e) => e.action)).toEqual(['site.create'])
  })
})
