import { describe, expect, it } from 'vitest'
import { call, createKey, createSite } from '../helpers'

const PATHS = [
  'features/value',
  'workflows',
  'workflows/account_linking',
  'dropoffs',
  'opportunities',
  'dashboard',
  'live',
]

describe('insight routes', () => {
  it('answer 401 without a key or with an unknown one', async () => {
    const site = await createSite()
    for (const path of PATHS) {
      expect((await call(`/v1/sites/${site.id}/${path}`)).status).toBe(401)
      expect((await call(`/v1/sites/${site.id}/${path}`, { token: 'sk_nope' })).status).toBe(401)
    }
  })

  it("answer 403 to an ingest key and to another site's read key", async () => {
    const site = await createSite()
    const other = await createSite()
    const ingest = await createKey(site, 'ingest')
    const foreign = await createKey(other, 'read')
    for (const path of PATHS) {
      expect((await call(`/v1/sites/${site.id}/${path}`, { token: ingest })).status).toBe(403)
      expect((await call(`/v1/sites/${site.id}/${path}`, { token: foreign })).status).toBe(403)
    }
  })

  it('answer 400 with the error shape to a bad period', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    for (const path of PATHS.filter((p) => p !== 'live')) {
      const res = await call(`/v1/sites/${site.id}/${path}?period=2d`, { token: read })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('invalid_query')
      expect(body.error.message).toMatch(/^period/)
    }
  })

  it('answer 400 to from without to, and to a limit out of bounds', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    const base = `/v1/sites/${site.id}`
    expect((await call(`${base}/dropoffs?from=2026-01-01`, { token: read })).status).toBe(400)
    expect((await call(`${base}/opportunities?limit=0`, { token: read })).status).toBe(400)
    expect((await call(`${base}/dropoffs?limit=5000`, { token: read })).status).toBe(400)
  })

  it.each([
    ['from', 'from=2026-13-01&to=2026-12-31'],
    ['from', 'from=2026-00-10&to=2026-12-31'],
    ['to', 'from=2026-01-01&to=2026-02-30'],
    ['to', 'from=2026-01-01&to=2026-04-31'],
  ])('answer 400 naming %s to an impossible date (%s)', async (field, query) => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    const res = await call(`/v1/sites/${site.id}/features/value?${query}`, { token: read })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.message).toMatch(new RegExp(`^${field}: `))
  })

  it('accepts the 29th of February in a leap year', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    const query = 'from=2028-02-29&to=2028-02-29'
    expect((await call(`/v1/sites/${site.id}/dropoffs?${query}`, { token: read })).status).toBe(200)
  })

  it('answer 400 to a value weight config that weighs nothing', async () => {
    const site = await createSite()
    const res = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { value_weights: { usage: 0, time: 0, revenue: 0, satisfaction: 0, retention: 0 } },
    })
    expect(res.status).toBe(400)
  })
})
