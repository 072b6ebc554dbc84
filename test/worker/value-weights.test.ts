/**
 * Config `value_weights` are fractions 0–1 (DESIGN §7.1, §10); migrations/0010 turns weights
 * stored on the old 0–100 scale into fractions that score the same, and drops stored answers.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, createSite, type TestSite } from './helpers'

const patch = (site: TestSite, body: unknown) =>
  call(`/v1/sites/${site.id}/config`, { method: 'PATCH', token: site.admin, body })

async function storedWeights(site: TestSite): Promise<Record<string, number> | undefined> {
  const res = await call(`/v1/sites/${site.id}/config`, { token: site.admin })
  return ((await res.json()) as { config: { value_weights?: Record<string, number> } }).config
    .value_weights
}

/** Writes `value_weights` into the stored config as an older release could have saved them. */
async function storeRaw(site: TestSite, weights: Record<string, number>) {
  await env.DB.prepare(
    `UPDATE site_config SET config = json_set(config, '$.value_weights', json(?2))
     WHERE site_id = ?1`,
  )
    .bind(site.id, JSON.stringify(weights))
    .run()
}

async function applyMigration0010() {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0010_'))!
  await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)))
}

describe('config value_weights', () => {
  it('refuses a weight above 1 with a 400 that says weights are fractions', async () => {
    const site = await createSite()
    const res = await patch(site, { value_weights: { usage: 30 } })
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as {
      error: { code: string; message: string; details: { path: string; message: string }[] }
    }
    expect(error.code).toBe('invalid_body')
    expect(error.message).toMatch(/^value_weights\.usage: .*0 to 1/)
    expect(error.details).toEqual([{ path: 'value_weights.usage', message: expect.any(String) }])
    expect(await storedWeights(site)).toBeUndefined()
  })

  it('refuses a negative weight', async () => {
    const site = await createSite()
    expect((await patch(site, { value_weights: { time: -0.1 } })).status).toBe(400)
  })

  it('keeps a fraction', async () => {
    const site = await createSite()
    expect((await patch(site, { value_weights: { usage: 0.3, retention: 1 } })).status).toBe(200)
    expect(await storedWeights(site)).toEqual({ usage: 0.3, retention: 1 })
  })
})

describe('migration 0010', () => {
  it('turns weights stored on the 0–100 scale into fractions', async () => {
    const site = await createSite()
    await storeRaw(site, { usage: 30, time: 10, revenue: 30, satisfaction: 15, retention: 15 })
    await applyMigration0010()
    expect(await storedWeights(site)).toEqual({
      usage: 0.3,
      time: 0.1,
      revenue: 0.3,
      satisfaction: 0.15,
      retention: 0.15,
    })
  })

  it('keeps what a partial set weighed against the defaults', async () => {
    const site = await createSite()
    // Before: usage 50 against the default fractions time .1, revenue .25, satisfaction .2,
    // retention .2 — usage made 50 / 50.75 of the score.
    await storeRaw(site, { usage: 50, satisfaction: 0 })
    await applyMigration0010()
    const w = (await storedWeights(site))!
    const sum = 50 + 0.1 + 0.25 + 0 + 0.2
    expect(Object.keys(w).sort()).toEqual(['retention', 'revenue', 'satisfaction', 'time', 'usage'])
    expect(w.usage).toBeCloseTo(50 / sum, 12)
    expect(w.time).toBeCloseTo(0.1 / sum, 12)
    expect(w.revenue).toBeCloseTo(0.25 / sum, 12)
    expect(w.satisfaction).toBe(0)
    expect(w.retention).toBeCloseTo(0.2 / sum, 12)
  })

  it('leaves fractions and configs without weights as they are', async () => {
    const withFractions = await createSite()
    const without = await createSite()
    await storeRaw(withFractions, { usage: 1, time: 0.5 })
    const before = await env.DB.prepare('SELECT config FROM site_config WHERE site_id = ?1')
      .bind(without.id)
      .first<{ config: string }>()
    await applyMigration0010()
    expect(await storedWeights(withFractions)).toEqual({ usage: 1, time: 0.5 })
    const after = await env.DB.prepare('SELECT config FROM site_config WHERE site_id = ?1')
      .bind(without.id)
      .first<{ config: string }>()
    expect(after).toEqual(before)
  })

  it('drops stored answers computed with the old units', async () => {
    const site = await createSite()
    await env.DB.prepare(
      `INSERT INTO insight_answers (site_id, key, version, computed_at, body)
       VALUES (?1, 'k', 0, ?2, '{"tiers":{}}')`,
    )
      .bind(site.id, Date.now())
      .run()
    await applyMigration0010()
    const left = await env.DB.prepare(
      'SELECT count(*) AS n FROM insight_answers WHERE site_id = ?1',
    )
      .bind(site.id)
      .first<{ n: number }>()
    expect(left!.n).toBe(0)
  })
})
