/**
 * DESIGN §10: erasing one user (`DELETE …/users/:uid`) and exporting everything about them
 * (`GET …/users/:uid/export`), against sites filled through the real ingest path and rolled up
 * by the real jobs.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, createKey, createSite, sendBatch, waitForEvents, type TestSite } from './helpers'

const GONE = 'erase-me-zq'
const KEEP = ['keep-ann', 'keep-bo']
const DAY = 86_400_000
const NOW = Date.now()

/** One user's client events over two days (ids made from the user, so twins share them). */
function clientEvents(uid: string) {
  const events: Record<string, unknown>[] = []
  for (const [d, at] of [
    [1, NOW - 2 * DAY],
    [2, NOW - DAY],
  ]) {
    const e = (n: number, fields: Record<string, unknown>) =>
      events.push({
        id: `${uid}-${d}-${n}`,
        ts: at + n * 1000,
        uid,
        sid: `${uid}-s${d}`,
        tier: 'plus',
        ...fields,
      })
    e(1, { type: 'identify' })
    e(2, { type: 'page', path: '/accounts', props: { from: uid } })
    e(3, { type: 'feature', feature: 'spending_analysis', status: 'completed', value: 30 })
    e(4, { type: 'feature', feature: 'budget_tracking', status: 'failed', reason: 'timeout_x' })
    e(5, { type: 'step', workflow: 'account_linking', run: `${uid}-run${d}`, step: 'start' })
    e(6, {
      type: 'step',
      workflow: 'account_linking',
      run: `${uid}-run${d}`,
      step: 'connect',
      status: 'failed',
      reason: 'mfa_timeout',
    })
    e(7, { type: 'connection', institution: 'first_example_bank', status: 'completed', value: 800 })
    e(8, {
      type: 'connection',
      institution: 'first_example_bank',
      status: 'failed',
      reason: 'bank_down',
    })
    e(9, { type: 'metric', name: 'api_latency', value: 120 })
    e(10, { type: 'feedback', feature: 'budget_tracking', value: 4 })
    e(11, { type: 'stage', stage: 'onboarding' })
    e(12, { type: 'conversion', name: 'first_feature_use' })
  }
  return events
}

const revenue = (uid: string) => ({
  id: `${uid}-rev`,
  type: 'revenue',
  name: 'subscription_started',
  ts: NOW - DAY + 60_000,
  uid,
  tier: 'plus',
  feature: 'budget_tracking',
  value: 9.99,
  currency: 'USD',
})

/** A site with `users`' events ingested (the browser's and the backend's) and rolled up. */
async function siteOf(users: string[]) {
  const site = await createSite()
  const ingest = await createKey(site, 'ingest')
  const events = users.flatMap(clientEvents)
  for (let i = 0; i < events.length; i += 20) {
    expect((await sendBatch(site, events.slice(i, i + 20))).status).toBe(202)
  }
  const res = await call('/v1/events', {
    method: 'POST',
    token: ingest,
    body: { events: users.map(revenue) },
  })
  expect(res.status).toBe(202)
  expect(await waitForEvents(site.id, events.length + users.length)).toBe(
    events.length + users.length,
  )
  await runJobs(site)
  return site
}

/** Cron's work, as many runs as the site's dirty days need. */
async function runJobs(site: TestSite) {
  for (let i = 0; i < 20; i++) {
    const res = await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })
    expect(res.status).toBe(200)
    const dirty = await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1')
      .bind(site.id)
      .first<{ n: number }>()
    if (dirty!.n === 0) return
  }
  throw new Error('rollups never caught up')
}

/** Every table of the database with the rows in which some column holds `text`. */
async function mentions(text: string): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    `SELECT name FROM sqlite_master
     WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`,
  ).all<{ name: string }>()
  const found: Record<string, number> = {}
  for (const { name } of tables) {
    const { results: cols } = await env.DB.prepare(`SELECT name FROM pragma_table_info(?1)`)
      .bind(name)
      .all<{ name: string }>()
    const where = cols.map((c) => `instr(CAST("${c.name}" AS TEXT), ?1) > 0`).join(' OR ')
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}" WHERE ${where}`)
      .bind(text)
      .first<{ n: number }>()
    if (row!.n) found[name] = row!.n
  }
  return found
}

/** What the rollup and model tables hold for a site, without the site's id. */
async function rollups(siteId: string) {
  const tables = [
    'rollup_user_days',
    'rollup_feature_days',
    'rollup_feature_reasons',
    'rollup_connection_days',
    'user_first_seen',
    'workflow_runs',
    'rollup_revenue_days',
    'rollup_perf_hours',
    'rollup_perf_days',
    'rollup_perf_buckets',
    'rollup_perf_reasons',
    'connection_users',
  ]
  const out: Record<string, unknown[]> = {}
  for (const t of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE site_id = ?1`)
      .bind(siteId)
      .all()
    out[t] = results.map(({ site_id: _, ...r }) => JSON.stringify(r)).sort()
  }
  return out
}

const erase = (site: TestSite, uid: string, token = site.admin) =>
  call(`/v1/sites/${site.id}/users/${encodeURIComponent(uid)}`, { method: 'DELETE', token })

type Erased = { uid_sha256: string; removed: Record<string, number> }

async function sha256(text: string) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

describe('DELETE /v1/sites/:site/users/:uid', () => {
  it('leaves no row naming the user, and the others as if they had been alone', async () => {
    const site = await siteOf([GONE, ...KEEP])
    const twin = await siteOf(KEEP) // the same site had the user never come
    // A stored answer, a dead letter and an outbox message that hold the user too.
    const read = await createKey(site, 'read')
    expect((await call(`/v1/sites/${site.id}/dashboard`, { token: read })).status).toBe(200)
    const message = (uid: string) => ({
      site_id: site.id,
      id: `${uid}-dl`,
      type: 'page',
      ts: NOW,
      uid,
    })
    const body = JSON.stringify({
      site_id: site.id,
      day: '2026-01-01',
      rows: [message(GONE), message(KEEP[0])],
    })
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO dead_letters (queue, body, received_at) VALUES ('q', ?1, ?2)",
      ).bind(body, NOW),
      env.DB.prepare(
        "INSERT INTO ingest_outbox (id, body, created_at) VALUES ('ob-erase', ?1, ?2)",
      ).bind(body, NOW),
    ])
    expect(
      (await call(`/v1/sites/${site.id}/users/${GONE}/export`, { token: site.admin })).status,
    ).toBe(200)
    expect(Object.keys(await mentions(GONE))).toEqual(
      expect.arrayContaining([
        'events',
        'rollup_user_days',
        'rollup_feature_days',
        'rollup_connection_days',
        'user_first_seen',
        'workflow_runs',
        'rollup_revenue_days',
        'connection_users',
        'dead_letters',
        'ingest_outbox',
      ]),
    )

    const res = await erase(site, GONE)
    expect(res.status).toBe(200)
    const erased = (await res.json()) as Erased
    expect(erased.uid_sha256).toBe(await sha256(GONE))
    expect(erased.removed).toMatchObject({
      events: 25,
      rollup_user_days: 3, // two days in the browser, and the backend's revenue (no device)
      rollup_feature_days: 5, // two features a day, and the revenue's
      rollup_connection_days: 2,
      workflow_runs: 2,
      rollup_revenue_days: 1,
      user_first_seen: 1,
      connection_users: 1,
      ingest_outbox: 1,
      dead_letters: 1,
    })
    expect(erased.removed.insight_answers).toBeGreaterThan(0)
    expect(await mentions(GONE)).toEqual({})

    await runJobs(site) // performance and failure-reason rollups rebuilt without the user
    expect(await mentions(GONE)).toEqual({})
    expect(await rollups(site.id)).toEqual(await rollups(twin.id))
    const kept = await env.DB.prepare(
      "SELECT body FROM dead_letters WHERE queue = 'q' AND body LIKE ?1",
    )
      .bind(`%${site.id}%`)
      .first<{ body: string }>()
    expect(JSON.parse(kept!.body).rows).toEqual([message(KEEP[0])])
    for (const uid of KEEP) {
      const n = await env.DB.prepare(
        'SELECT count(*) AS n FROM events WHERE site_id = ?1 AND uid = ?2',
      )
        .bind(site.id, uid)
        .first<{ n: number }>()
      expect(n!.n).toBe(25)
    }
  })

  it('is audited under the SHA-256 of the uid, never the uid', async () => {
    const site = await createSite()
    await erase(site, 'someone-xy')
    const row = await env.DB.prepare(
      "SELECT key_id, details FROM audit_log WHERE site_id = ?1 AND action = 'user.erase'",
    )
      .bind(site.id)
      .first<{ key_id: string; details: string }>()
    expect(JSON.parse(row!.details)).toEqual({ uid_sha256: await sha256('someone-xy') })
    expect(row!.key_id).toMatch(/^key_/)
  })

  it('answers zeros for a user it holds nothing of, so erasing again is harmless', async () => {
    const site = await createSite()
    await sendBatch(site, [{ id: 'x1', type: 'page', ts: NOW, uid: 'twice-u', path: '/' }])
    await waitForEvents(site.id, 1)
    const first = (await (await erase(site, 'twice-u')).json()) as Erased
    expect(first.removed.events).toBe(1)
    for (const uid of ['twice-u', 'never-seen']) {
      const res = await erase(site, uid)
      expect(res.status).toBe(200)
      const { removed } = (await res.json()) as Erased
      expect(
        Object.values(removed).every((n) => n === 0),
        JSON.stringify(removed),
      ).toBe(true)
    }
  })

  it('takes any uid events may carry, however it must be written in a URL', async () => {
    const site = await createSite()
    const uid = 'a b/c?d#é%'
    await sendBatch(site, [{ id: 'x1', type: 'page', ts: NOW, uid, path: '/' }])
    await waitForEvents(site.id, 1)
    const res = await erase(site, uid)
    expect(res.status).toBe(200)
    expect(((await res.json()) as Erased).removed.events).toBe(1)
    expect((await erase(site, 'x'.repeat(129))).status).toBe(400)
  })

  it('is for admin keys only', async () => {
    const site = await createSite()
    await sendBatch(site, [{ id: 'x1', type: 'page', ts: NOW, uid: 'kept-u', path: '/' }])
    await waitForEvents(site.id, 1)
    for (const role of ['read', 'ingest']) {
      expect((await erase(site, 'kept-u', await createKey(site, role))).status).toBe(403)
    }
    expect((await erase(site, 'kept-u', (await createSite()).admin)).status).toBe(403)
    expect((await call(`/v1/sites/${site.id}/users/kept-u`, { method: 'DELETE' })).status).toBe(401)
    const n = await env.DB.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?1')
      .bind(site.id)
      .first<{ n: number }>()
    expect(n!.n).toBe(1)
  })
})

type UserExport = {
  site: string
  uid: string
  exported_at: string
  tables: Record<string, Record<string, unknown>[]>
  next_cursor: string | null
}

const exportOf = async (site: TestSite, uid: string, query = '', token = site.admin) => {
  const res = await call(`/v1/sites/${site.id}/users/${encodeURIComponent(uid)}/export${query}`, {
    token,
  })
  expect(res.status).toBe(200)
  return (await res.json()) as UserExport
}

describe('GET /v1/sites/:site/users/:uid/export', () => {
  it('holds every event and rollup row about the user, and nothing about anyone else', async () => {
    const site = await siteOf([GONE, ...KEEP])
    const doc = await exportOf(site, GONE)
    expect(doc).toMatchObject({ site: site.id, uid: GONE, next_cursor: null })
    expect(Object.keys(doc.tables)).toEqual([
      'events',
      'rollup_user_days',
      'rollup_feature_days',
      'rollup_connection_days',
      'workflow_runs',
      'rollup_revenue_days',
      'user_first_seen',
      'connection_users',
      'user_aliases',
      'churn_scores',
    ])
    expect(doc.tables.events).toHaveLength(25)
    expect(doc.tables.events.find((e) => e.type === 'page')).toMatchObject({
      props: { from: GONE },
      path: '/accounts',
    })
    expect(doc.tables.events.find((e) => e.type === 'revenue')).toMatchObject({ source: 'server' })
    expect(doc.tables.workflow_runs).toHaveLength(2)
    for (const [table, rows] of Object.entries(doc.tables)) {
      // No sign-in links in this dataset (test/worker/insights/aliases.test.ts has them), and no
      // churn score until a model has run.
      if (table != 'user_aliases' && table != 'churn_scores')
        expect(rows.length, table).toBeGreaterThan(0)
      for (const row of rows) {
        expect(row.uid, table).toBe(GONE)
        expect(row, table).not.toHaveProperty('site_id')
      }
    }
    for (const uid of KEEP) expect(JSON.stringify(doc)).not.toContain(uid)
  })

  it('is cut into parts by `limit`, and the cursor gives the rest', async () => {
    const site = await siteOf([GONE])
    const whole = await exportOf(site, GONE)
    const rows: Record<string, unknown[]> = {}
    let cursor: string | null = ''
    for (let parts = 0; cursor !== null; parts++) {
      expect(parts).toBeLessThan(20)
      const part: UserExport = await exportOf(
        site,
        GONE,
        `?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      )
      for (const [t, r] of Object.entries(part.tables)) rows[t] = [...(rows[t] ?? []), ...r]
      cursor = part.next_cursor
    }
    expect(rows).toEqual(whole.tables)
  })

  it('is audited, and for admin keys only', async () => {
    const site = await createSite()
    await exportOf(site, 'looked-up')
    const row = await env.DB.prepare(
      "SELECT details FROM audit_log WHERE site_id = ?1 AND action = 'user.export'",
    )
      .bind(site.id)
      .first<{ details: string }>()
    expect(JSON.parse(row!.details)).toMatchObject({ uid_sha256: await sha256('looked-up') })
    for (const role of ['read', 'ingest']) {
      const res = await call(`/v1/sites/${site.id}/users/looked-up/export`, {
        token: await createKey(site, role),
      })
      expect(res.status).toBe(403)
    }
  })
})
