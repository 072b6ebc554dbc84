/**
 * Stored answers (worker/db/answers.ts): the heaviest routes answer a repeated question from D1
 * until the site's data version moves (rollup rebuild, retention purge, config change) or the
 * answer is five minutes old, and `refresh=1` recomputes.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ANSWER_MAX_AGE_MS, MAX_ANSWERS_PER_SITE } from '../../../worker/db/answers'
import { insertEventStatements } from '../../../worker/db/events'
import { markDirtyStatement } from '../../../worker/db/rollup-dirty'
import { daysOf } from '../../../worker/rollups'
import { purgeExpiredEvents, runJobs } from '../../../worker/scheduled'
import { valueWeights } from '../../../worker/routes/insights/load'
import { insightRequestFor, prepareAnswer } from '../../../worker/routes/insights/request'
import { call } from '../helpers'
import { BASE, DAY, getJson, seed, siteWith, type Ev } from './seed'

const HEAVY = ['dashboard', 'opportunities', 'dropoffs', 'features/value', 'journeys']

const use = (uid: string, ts = BASE): Ev => ({
  type: 'feature',
  ts,
  uid,
  sid: `s-${uid}`,
  tier: 'free',
  feature: 'budgets',
  status: 'completed',
})

async function stored(siteId: string) {
  const { results } = await env.DB.prepare(
    'SELECT key, version, computed_at FROM insight_answers WHERE site_id = ?1',
  )
    .bind(siteId)
    .all<{ key: string; version: number; computed_at: number }>()
  return results
}

describe('stored insight answers', () => {
  it.each(HEAVY)('%s: the same question twice is computed once', async (path) => {
    const { site, read } = await siteWith()
    await seed(site, [use('a')])
    const url = `/v1/sites/${site.id}/${path}`
    const first = await call(url, { token: read })
    expect(first.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await first.text()
    expect(JSON.parse(body).computed_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    // Defaults spelled out are the same question; the stored text comes back byte for byte.
    const again = await call(`${url}?period=30d`, { token: read })
    expect(await again.text()).toBe(body)
    expect(await stored(site.id)).toHaveLength(1)
  })

  it('a rollup rebuild, a config change or refresh=1 gives a fresh answer', async () => {
    const { site, read } = await siteWith()
    await seed(site, [use('a')])
    const url = `/v1/sites/${site.id}/features/value`
    const users = (b: any) => b.tiers.free?.features[0].unique_users
    expect(users(await getJson(url, read))).toBe(1)
    // Marks the stored answer, so that getting the mark back shows it was served.
    const mark = () =>
      env.DB.prepare(`UPDATE insight_answers SET body = '{"tiers":{}}' WHERE site_id = ?1`)
        .bind(site.id)
        .run()

    await mark()
    expect(await getJson(url, read)).toEqual({ tiers: {} })
    expect(users(await getJson(`${url}?refresh=1`, read))).toBe(1)
    expect(await getJson(url, read)).not.toEqual({ tiers: {} }) // the refresh was kept

    await mark()
    await seed(site, [use('b', BASE + 60_000)]) // rebuilds the day, as cron would
    expect(users(await getJson(url, read))).toBe(2)

    await mark()
    const patch = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { value_weights: { usage: 1 } },
    })
    expect(patch.status).toBe(200)
    expect((await getJson(url, read)).weights.usage).toBe(1)

    await mark()
    await runJobs(env) // nothing dirty, nothing purged: the stored answer stands
    expect(await getJson(url, read)).toEqual({ tiers: {} })
  })

  it('keeps one answer per question: filters, limits and periods are apart', async () => {
    const { site, read } = await siteWith()
    await seed(site, [use('a'), { ...use('b'), tier: 'plus' }])
    const base = `/v1/sites/${site.id}/dropoffs`
    for (const q of ['', '?tier=free', '?tier=plus', '?limit=5', '?period=7d', '?period=90d'])
      await getJson(base + q, read)
    expect(await stored(site.id)).toHaveLength(6)
    const free = await getJson(`/v1/sites/${site.id}/dashboard?tier=free`, read)
    const plus = await getJson(`/v1/sites/${site.id}/dashboard?tier=plus`, read)
    expect([free.kpis.active_users, plus.kpis.active_users]).toEqual([1, 1])
  })

  it('an answer past its age is recomputed, and cron deletes it', async () => {
    const { site, read } = await siteWith()
    await seed(site, [use('a')])
    const url = `/v1/sites/${site.id}/opportunities`
    const first = await getJson(url, read)
    const old = Date.now() - ANSWER_MAX_AGE_MS - 1000
    await env.DB.prepare('UPDATE insight_answers SET computed_at = ?2 WHERE site_id = ?1')
      .bind(site.id, old)
      .run()
    const second = await getJson(url, read)
    expect(second.computed_at).not.toBe(first.computed_at)
    expect((await stored(site.id))[0].computed_at).toBeGreaterThan(old)

    await env.DB.prepare('UPDATE insight_answers SET computed_at = ?2 WHERE site_id = ?1')
      .bind(site.id, old)
      .run()
    await runJobs(env)
    expect(await stored(site.id)).toEqual([])
  })

  it('the retention purge voids the answers of the site it purged', async () => {
    const { site, read } = await siteWith({ retention_days: 30 })
    await seed(site, [use('a', BASE - 40 * DAY), use('b')])
    await getJson(`/v1/sites/${site.id}/dashboard?period=90d`, read)
    const version = async () =>
      (await env.DB.prepare('SELECT data_version AS v FROM sites WHERE id = ?1')
        .bind(site.id)
        .first<{ v: number }>())!.v
    const before = await version()
    expect(await purgeExpiredEvents(env.DB, Date.now(), { left: 200 })).toBeGreaterThan(0)
    expect(await version()).toBeGreaterThan(before)
    const after = await getJson(`/v1/sites/${site.id}/dashboard?period=90d`, read)
    expect(after.kpis.active_users).toBe(1)
  })

  it('cron prepares the overview and performance of a changed site someone is looking at', async () => {
    const watched = await siteWith()
    const idle = await siteWith()
    await getJson(`/v1/sites/${watched.site.id}/dropoffs`, watched.read) // someone is looking
    for (const { site } of [watched, idle]) {
      const rows = [{ ...use('a'), site_id: site.id, id: `prep-${site.id}`, received_at: BASE }]
      await env.DB.batch([
        ...insertEventStatements(env.DB, rows),
        ...daysOf(rows).map((d) => markDirtyStatement(env.DB, site.id, d.day)),
      ])
    }
    await runJobs(env)
    expect(await stored(idle.site.id)).toEqual([])
    const prepared = (await stored(watched.site.id)).filter((a) => a.version > 0)
    expect(prepared).toHaveLength(2)
    const { id } = watched.site
    const overview = await getJson(`/v1/sites/${id}/dashboard`, watched.read)
    const times = prepared.map((a) => a.computed_at)
    expect(times).toContain(Date.parse(overview.computed_at))
    const performance = await getJson(`/v1/sites/${id}/performance`, watched.read)
    expect(times).toContain(Date.parse(performance.computed_at))
    expect(await stored(watched.site.id)).toHaveLength(3) // nothing computed again
    expect(overview.kpis.active_users).toBe(1)
    expect(await getJson(`/v1/sites/${id}/dashboard?period=30d`, watched.read)).toEqual(overview)
  })

  it('an answer computed with a config changed meanwhile is never served', async () => {
    const { site, read } = await siteWith()
    await seed(site, [use('a')])
    const url = `/v1/sites/${site.id}/features/value`
    await getJson(`${url}?tier=free`, read) // someone is looking
    // Read config and version, then the config changes, then the answer is computed and kept.
    const r = await insightRequestFor(env.DB, site.id, {}, Date.now())
    const patch = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { value_weights: { usage: 1 } },
    })
    expect(patch.status).toBe(200)
    await prepareAnswer(new URL(url, 'http://x').pathname, r, {}, async () => ({
      weights: valueWeights(r.config),
    }))
    expect(await stored(site.id)).toHaveLength(2)
    expect((await getJson(url, read)).weights.usage).toBe(1)
  })

  it('a site holds at most MAX_ANSWERS_PER_SITE answers; past it answers are computed, not kept', async () => {
    const { site, read } = await siteWith()
    await seed(site, [use('a')])
    const filler = Array.from({ length: MAX_ANSWERS_PER_SITE }, (_, i) => `filler-${i}`)
    await env.DB.prepare(
      `INSERT INTO insight_answers (site_id, key, version, computed_at, body)
       SELECT ?1, j.value, 0, ?2, '{}' FROM json_each(?3) j`,
    )
      .bind(site.id, Date.now(), JSON.stringify(filler))
      .run()
    const overview = await getJson(`/v1/sites/${site.id}/dashboard`, read)
    expect(overview.kpis.active_users).toBe(1)
    expect(await stored(site.id)).toHaveLength(MAX_ANSWERS_PER_SITE)
  })

  it('refresh takes only 1/true/0/false', async () => {
    const { site, read } = await siteWith()
    const res = await call(`/v1/sites/${site.id}/dashboard?refresh=yes`, { token: read })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.code).toBe('invalid_query')
  })
})
