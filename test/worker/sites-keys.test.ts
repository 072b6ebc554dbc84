import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../worker/lib/crypto'
import worker from '../../worker/index'
import { BROWSER_UA, call, createKey, createSite, event, ORIGIN } from './helpers'

describe('POST /v1/admin/sites', () => {
  it('needs the ADMIN_TOKEN', async () => {
    expect((await call('/v1/admin/sites', { method: 'POST', body: { name: 'x' } })).status).toBe(
      401,
    )
    expect(
      (await call('/v1/admin/sites', { method: 'POST', token: 'wrong', body: { name: 'x' } }))
        .status,
    ).toBe(401)
  })

  it('creates a site with a public key and an admin key shown once', async () => {
    const res = await call('/v1/admin/sites', {
      method: 'POST',
      token: env.ADMIN_TOKEN,
      body: { id: 'acme-bank', name: 'Acme Bank', allowed_origins: [ORIGIN] },
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as {
      site: { id: string }
      public_key: string
      admin_key: { key: string; role: string }
    }
    expect(body.site.id).toBe('acme-bank')
    expect(body.public_key).toMatch(/^pk_/)
    expect(body.admin_key).toMatchObject({ role: 'admin', key: expect.stringMatching(/^sk_/) })
    const again = await call('/v1/admin/sites', {
      method: 'POST',
      token: env.ADMIN_TOKEN,
      body: { id: 'acme-bank', name: 'Again' },
    })
    expect(again.status).toBe(409)
  })

  it('refuses a malformed site with 400 and writes nothing', async () => {
    const res = await call('/v1/admin/sites', {
      method: 'POST',
      token: env.ADMIN_TOKEN,
      body: { id: 'bad-origin-bank', name: 'B', allowed_origins: ['https://x.example/path'] },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /allowed_origins\.0/,
    )
    expect(
      await env.DB.prepare("SELECT id FROM sites WHERE id = 'bad-origin-bank'").first(),
    ).toBeNull()
  })
})

describe('keys', () => {
  it('are stored as SHA-256 hashes, never in clear, and listed without the key', async () => {
    const site = await createSite()
    const key = await createKey(site, 'read')
    const row = await env.DB.prepare('SELECT hash, prefix FROM api_keys WHERE hash = ?1')
      .bind(await sha256Hex(key))
      .first<{ hash: string; prefix: string }>()
    expect(row?.prefix).toBe(key.slice(0, 10))
    const everything = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM api_keys').all()).results,
    )
    expect(everything).not.toContain(key)
    const list = await call(`/v1/sites/${site.id}/keys`, { token: site.admin })
    const body = (await list.json()) as { keys: Record<string, unknown>[] }
    expect(body.keys.map((k) => k.role).sort()).toEqual(['admin', 'read'])
    expect(JSON.stringify(body)).not.toContain(key)
  })

  it('stop working once revoked', async () => {
    const site = await createSite()
    const created = await call(`/v1/sites/${site.id}/keys`, {
      method: 'POST',
      token: site.admin,
      body: { role: 'read', name: 'BI export' },
    })
    const { id, key } = (await created.json()) as { id: string; key: string }
    expect((await call(`/v1/sites/${site.id}/config`, { token: key })).status).toBe(200)
    expect(
      (await call(`/v1/sites/${site.id}/keys/${id}`, { method: 'DELETE', token: site.admin }))
        .status,
    ).toBe(200)
    const after = await call(`/v1/sites/${site.id}/config`, { token: key })
    expect(after.status).toBe(401)
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(
      /revoked/,
    )
    expect(
      (await call(`/v1/sites/${site.id}/keys/${id}`, { method: 'DELETE', token: site.admin }))
        .status,
    ).toBe(404)
  })

  it('stop ingesting once revoked', async () => {
    const site = await createSite()
    const created = await call(`/v1/sites/${site.id}/keys`, {
      method: 'POST',
      token: site.admin,
      body: { role: 'ingest' },
    })
    const { id, key } = (await created.json()) as { id: string; key: string }
    const send = () =>
      call('/v1/events', { method: 'POST', token: key, body: { events: [event()] } })
    expect((await send()).status).toBe(202)
    await call(`/v1/sites/${site.id}/keys/${id}`, { method: 'DELETE', token: site.admin })
    expect((await send()).status).toBe(401)
  })

  it('guard every site route: 401 without a key, 403 for another site or the wrong role', async () => {
    const [a, b] = [await createSite(), await createSite()]
    const read = await createKey(a, 'read')
    const ingest = await createKey(a, 'ingest')
    expect((await call(`/v1/sites/${a.id}/config`)).status).toBe(401)
    expect((await call(`/v1/sites/${a.id}/config`, { token: 'sk_madeup' })).status).toBe(401)
    expect((await call(`/v1/sites/${b.id}/config`, { token: a.admin })).status).toBe(403)
    expect((await call(`/v1/sites/${a.id}/config`, { token: ingest })).status).toBe(403)
    expect((await call(`/v1/sites/${a.id}/keys`, { token: read })).status).toBe(403)
    expect(
      (await call(`/v1/sites/${a.id}/config`, { method: 'PATCH', token: read, body: {} })).status,
    ).toBe(403)
  })

  it('refuse an unknown role with 400', async () => {
    const site = await createSite()
    const res = await call(`/v1/sites/${site.id}/keys`, {
      method: 'POST',
      token: site.admin,
      body: { role: 'owner' },
    })
    expect(res.status).toBe(400)
  })

  it('are audited when created and revoked', async () => {
    const site = await createSite()
    const created = await call(`/v1/sites/${site.id}/keys`, {
      method: 'POST',
      token: site.admin,
      body: { role: 'ingest' },
    })
    const { id } = (await created.json()) as { id: string }
    await call(`/v1/sites/${site.id}/keys/${id}`, { method: 'DELETE', token: site.admin })
    const { results } = await env.DB.prepare(
      'SELECT action FROM audit_log WHERE site_id = ?1 ORDER BY id',
    )
      .bind(site.id)
      .all()
    expect(results.map((r) => r.action)).toEqual(['site.create', 'key.create', 'key.revoke'])
  })

  it("refuse to revoke a site's last admin key, which would lock the site out", async () => {
    const site = await createSite()
    const keys = (await (
      await call(`/v1/sites/${site.id}/keys`, { token: site.admin })
    ).json()) as { keys: { id: string }[] }
    const res = await call(`/v1/sites/${site.id}/keys/${keys.keys[0].id}`, {
      method: 'DELETE',
      token: site.admin,
    })
    expect(res.status).toBe(409)
    expect((await call(`/v1/sites/${site.id}/keys`, { token: site.admin })).status).toBe(200)
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE site_id = ?1 AND action = 'key.revoke'",
    )
      .bind(site.id)
      .first<{ n: number }>()
    expect(audit?.n).toBe(0)
  })
})

describe('site config', () => {
  it('starts from the defaults', async () => {
    const site = await createSite()
    const res = await call(`/v1/sites/${site.id}/config`, { token: site.admin })
    const { config } = (await res.json()) as { config: Record<string, unknown> }
    expect(config).toMatchObject({
      allowed_origins: [ORIGIN],
      success_stage: 'feature_usage',
      retention_days: 395,
      webhook_url: null,
      currency: 'USD',
    })
  })

  it('PATCH replaces the fields it names and keeps the rest', async () => {
    const site = await createSite()
    const workflows = [
      {
        name: 'account_linking',
        steps: ['start', 'connect', 'verify', 'complete'],
        dropoff_type: 'integration',
        conversion_window_s: 1800,
      },
    ]
    const res = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { workflows, retention_days: 90 },
    })
    expect(res.status).toBe(200)
    const { config } = (await (
      await call(`/v1/sites/${site.id}/config`, { token: site.admin })
    ).json()) as { config: Record<string, unknown> }
    expect(config).toMatchObject({ workflows, retention_days: 90, allowed_origins: [ORIGIN] })
  })

  it('keeps allowed origins as browsers send them, and webhooks on https only', async () => {
    const site = await createSite()
    const res = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: {
        allowed_origins: ['https://App.Bank.Example:443'],
        webhook_url: 'https://public.example.test/stepwise', // a public host in the test DNS zone
      },
    })
    expect(
      ((await res.json()) as { config: { allowed_origins: string[] } }).config.allowed_origins,
    ).toEqual(['https://app.bank.example'])
    for (const webhook_url of ['javascript:alert(1)', 'http://169.254.169.254/latest']) {
      const bad = await call(`/v1/sites/${site.id}/config`, {
        method: 'PATCH',
        token: site.admin,
        body: { webhook_url },
      })
      expect(bad.status).toBe(400)
    }
  })

  it('refuses an invalid PATCH with 400 and changes nothing', async () => {
    const site = await createSite()
    for (const body of [
      { retention_days: -1 },
      { tiers: [{ name: 'gold' }] },
      { unknown_field: 1 },
      { workflows: [{ name: 'x', steps: [] }] },
    ]) {
      const res = await call(`/v1/sites/${site.id}/config`, {
        method: 'PATCH',
        token: site.admin,
        body,
      })
      expect(res.status).toBe(400)
    }
    const { config } = (await (
      await call(`/v1/sites/${site.id}/config`, { token: site.admin })
    ).json()) as { config: { retention_days: number } }
    expect(config.retention_days).toBe(395)
  })

  it('applies a new allowed origin to ingest at once', async () => {
    const site = await createSite()
    const send = () =>
      call('/v1/events', {
        method: 'POST',
        raw: JSON.stringify({ site: site.pk, events: [event()] }),
        headers: { origin: 'https://new.bank.example', 'user-agent': BROWSER_UA },
      })
    expect((await send()).status).toBe(403)
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { allowed_origins: [ORIGIN, 'https://new.bank.example'] },
    })
    expect((await send()).status).toBe(202)
  })
})

describe('rate limits', () => {
  it('answer 429 with Retry-After once a client spends its budget', async () => {
    const site = await createSite()
    const tight = { ...env, INGEST_LIMIT: env.TIGHT_LIMIT }
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 5; i++) {
      last = await worker.fetch(
        new Request('http://stepwise.test/v1/events', {
          method: 'POST',
          headers: {
            'content-type': 'text/plain',
            origin: ORIGIN,
            'user-agent': BROWSER_UA,
            'cf-connecting-ip': '198.51.100.9',
          },
          body: JSON.stringify({ site: site.pk, events: [event()] }),
        }),
        tight,
        createExecutionContext(),
      )
      statuses.push(last.status)
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429])
    expect(last!.headers.get('retry-after')).toBe('60')
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
  })

  it('limit the API per key', async () => {
    const site = await createSite()
    const tight = { ...env, API_LIMIT: env.TIGHT_LIMIT }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const req = new Request(`http://stepwise.test/v1/sites/${site.id}/config`, {
        headers: { authorization: `Bearer ${site.admin}` },
      })
      statuses.push((await worker.fetch(req, tight, createExecutionContext())).status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
  })
})

describe('POST /v1/admin/jobs/run', () => {
  it('runs the cron jobs on demand: dirty rollup days are rebuilt', async () => {
    const site = await createSite()
    await env.DB.prepare('INSERT OR IGNORE INTO rollup_dirty (site_id, day) VALUES (?1, ?2)')
      .bind(site.id, '2026-01-05')
      .run()
    expect((await call('/v1/admin/jobs/run', { method: 'POST' })).status).toBe(401)
    const res = await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { rebuilt_days: number }).rebuilt_days).toBeGreaterThanOrEqual(1)
    const left = await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1')
      .bind(site.id)
      .first<{ n: number }>()
    expect(left?.n).toBe(0)
  })
})
