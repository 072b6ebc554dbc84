/**
 * Sharding by site (DESIGN §11, worker/db/shards.ts): one site in `DB`, one whose id starts
 * "shard2-" in `DB_2` (SITE_SHARDS in vitest.config.ts). Everything of each — site, keys,
 * config, audit, events through both ingest paths and the queue, rollups, outbox, dead letters,
 * answers, erasure and purge — is in its own database, and the other database has none of it.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { insertOutboxStatement } from '../../worker/db/outbox'
import { parseShardMap, shardNameFor } from '../../worker/db/shards'
import type { IngestMessage } from '../../worker/env'
import { DEAD_LETTER_QUEUE } from '../../worker/ingest/consumer'
import { OUTBOX_AGE_MS } from '../../worker/ingest/outbox'
import { utcDay } from '../../worker/ingest/store'
import { JOBS_QUEUE, scheduleJobs } from '../../worker/jobs-queue'
import worker from '../../worker/index'
import { runJobs } from '../../worker/scheduled'
import { call, createKey, event, ORIGIN, sendBatch, type TestSite } from './helpers'

type Sharded = TestSite & { db: D1Database; other: D1Database; read: string; ingest: string }
const stamp = Date.now().toString(36)
let one: Sharded // in DB
let two: Sharded // in DB_2

async function site(id: string, db: D1Database, other: D1Database): Promise<Sharded> {
  const res = await call('/v1/admin/sites', {
    method: 'POST',
    token: env.ADMIN_TOKEN,
    body: { id, name: `Bank ${id}`, allowed_origins: [ORIGIN] },
  })
  expect(res.status).toBe(201)
  const body = (await res.json()) as { public_key: string; admin_key: { key: string } }
  const s = { id, pk: body.public_key, admin: body.admin_key.key }
  return { ...s, db, other, read: await createKey(s, 'read'), ingest: await createKey(s, 'ingest') }
}

/** Rows of the site in `db`, over every table that holds a site's rows by site_id. */
async function rowsIn(db: D1Database, siteId: string) {
  const tables = ['api_keys', 'site_config', 'events', 'site_counters', 'audit_log']
  const rollups = ['rollup_user_days', 'rollup_feature_days', 'insight_answers']
  const counts: Record<string, number> = {
    sites: (await db
      .prepare('SELECT count(*) AS n FROM sites WHERE id = ?1')
      .bind(siteId)
      .first<number>('n'))!,
  }
  for (const t of [...tables, ...rollups]) {
    const sql = `SELECT count(*) AS n FROM ${t} WHERE site_id = ?1`
    counts[t] = (await db.prepare(sql).bind(siteId).first<number>('n'))!
  }
  return counts
}

const count = async (db: D1Database, sql: string, ...args: unknown[]) =>
  (await db
    .prepare(sql)
    .bind(...args)
    .first<number>('n'))!
const eventsOf = (s: Sharded, db = s.db) =>
  count(db, 'SELECT count(*) AS n FROM events WHERE site_id = ?1', s.id)

async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
  return check()
}

/** Two users' page events through the queue, two backend events straight to D1. */
async function ingest(s: Sharded) {
  const page = [event({ uid: 'ann', ts: Date.now() - 60_000 }), event({ uid: 'bo' })]
  expect((await sendBatch(s, page)).status).toBe(202)
  const backend = [event({ type: 'identify', uid: 'ann' }), event({ type: 'identify', uid: 'cy' })]
  const res = await call('/v1/events', {
    method: 'POST',
    token: s.ingest,
    body: { events: backend },
  })
  expect(res.status).toBe(202)
  expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0 })
}

beforeAll(async () => {
  one = await site(`test-shard1-${stamp}`, env.DB, env.DB_2)
  two = await site(`shard2-${stamp}`, env.DB_2, env.DB)
  await Promise.all([ingest(one), ingest(two)])
  // The queue stored the page events and the consumer rebuilt the day, each in its shard.
  for (const s of [one, two]) {
    expect(await until(async () => (await eventsOf(s)) === 4)).toBe(true)
    const dirty = 'SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1'
    expect(await until(async () => (await count(s.db, dirty, s.id)) === 0)).toBe(true)
  }
}, 60_000)

describe('sharding by site', () => {
  it('keeps every row of a site in its own database and none in the other', async () => {
    for (const s of [one, two]) {
      await call(`/v1/sites/${s.id}/dashboard`, { token: s.read }) // an answer to store
      const own = await rowsIn(s.db, s.id)
      expect(own).toMatchObject({ sites: 1, api_keys: 3, site_config: 1, events: 4 })
      expect(own.audit_log).toBeGreaterThanOrEqual(3) // site.create and two key.create
      expect(own.rollup_user_days).toBeGreaterThan(0)
      expect(own.insight_answers).toBeGreaterThan(0)
      const theirs = await rowsIn(s.other, s.id)
      expect(Object.values(theirs).every((n) => n === 0)).toBe(true)
      expect(await count(s.other, `SELECT count(*) AS n FROM ingest_outbox`)).toBe(0)
    }
  })

  it('answers each site from its own shard', async () => {
    for (const s of [one, two]) {
      const res = await call(`/v1/sites/${s.id}/dashboard`, { token: s.read })
      expect(res.status).toBe(200)
      const { kpis } = (await res.json()) as { kpis: { active_users: number } }
      expect(kpis.active_users).toBe(3) // ann, bo, cy
      const audit = await call(`/v1/sites/${s.id}/audit`, { token: s.admin })
      const { entries } = (await audit.json()) as { entries: { action: string }[] }
      expect(entries.map((e) => e.action)).toContain('site.create')
      const exported = await call(`/v1/sites/${s.id}/export?format=ndjson`, { token: s.admin })
      expect(exported.status).toBe(200)
      const lines = (await exported.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(lines.filter((l) => l.id).length).toBe(4)
      expect(
        lines.filter((l) => l.id).every((l) => l.site_id === undefined || l.site_id === s.id),
      ).toBe(true)
    }
  })

  it('finds a key in any shard for whoami, and never lets it read another shard’s site', async () => {
    for (const [s, other] of [
      [one, two],
      [two, one],
    ] as const) {
      const me = await call('/v1/whoami', { token: s.read })
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ site: { id: s.id, name: `Bank ${s.id}` } })
      // The other site's shard has no such key: unknown there.
      const res = await call(`/v1/sites/${other.id}/dashboard`, { token: s.admin })
      expect(res.status).toBe(401)
      const erase = await call(`/v1/sites/${other.id}/users/ann`, {
        method: 'DELETE',
        token: s.admin,
      })
      expect(erase.status).toBe(401)
    }
    expect(await eventsOf(one)).toBe(4)
    expect(await eventsOf(two)).toBe(4)
  })

  it('reads a moved site’s keys only where the map puts it, never from a copy left behind', async () => {
    // As after copying `two` into DB_2 from DB, before its old rows there are deleted: a key
    // revoked since in DB_2 is still live in the copy.
    const key = await createKey(two, 'read')
    const row = (await env.DB_2.prepare('SELECT * FROM sites WHERE id = ?1').bind(two.id).first())!
    await env.DB.prepare(
      'INSERT INTO sites (id, name, public_key, created_at) VALUES (?1, ?2, ?3, ?4)',
    )
      .bind(row.id, row.name, row.public_key, row.created_at)
      .run()
    const { results } = await env.DB_2.prepare('SELECT * FROM api_keys WHERE site_id = ?1')
      .bind(two.id)
      .all<Record<string, string | number | null>>()
    await env.DB.batch(
      results.map((r) =>
        env.DB.prepare(
          `INSERT INTO api_keys (id, site_id, role, hash, prefix, name, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
        ).bind(r.id, r.site_id, r.role, r.hash, r.prefix, r.name, r.created_at),
      ),
    )
    expect((await call('/v1/whoami', { token: key })).status).toBe(200)
    await env.DB_2.prepare('UPDATE api_keys SET revoked_at = ?2 WHERE site_id = ?1 AND prefix = ?3')
      .bind(two.id, Date.now(), key.slice(0, 10))
      .run()
    expect((await call('/v1/whoami', { token: key })).status).toBe(401)
    await env.DB.batch([
      env.DB.prepare('DELETE FROM api_keys WHERE site_id = ?1').bind(two.id),
      env.DB.prepare('DELETE FROM sites WHERE id = ?1').bind(two.id),
    ])
  })

  it('refuses a site id that another shard holds', async () => {
    const res = await call('/v1/admin/sites', {
      method: 'POST',
      token: env.ADMIN_TOKEN,
      body: { id: two.id, name: 'again' },
    })
    expect(res.status).toBe(409)
  })

  it('erases a user in the site’s shard only', async () => {
    const res = await call(`/v1/sites/${two.id}/users/ann`, { method: 'DELETE', token: two.admin })
    expect(res.status).toBe(200)
    const ann = 'SELECT count(*) AS n FROM events WHERE site_id = ?1 AND uid = ?2'
    expect(await count(env.DB_2, ann, two.id, 'ann')).toBe(0)
    expect(await count(env.DB, ann, one.id, 'ann')).toBe(2)
    const erased =
      "SELECT count(*) AS n FROM audit_log WHERE site_id = ?1 AND action = 'user.erase'"
    expect(await count(env.DB_2, erased, two.id)).toBe(1)
    expect(await count(env.DB, erased, two.id)).toBe(0)
  })

  it('keeps a dead letter beside its site, in its shard', async () => {
    const body = { site_id: two.id, day: '2026-01-01', source: 'client', rows: 'not rows' }
    const batch = createMessageBatch(DEAD_LETTER_QUEUE, [
      { id: 'd1', timestamp: new Date(), attempts: 6, body },
    ])
    await worker.queue(batch, env)
    await getQueueResult(batch, createExecutionContext())
    const sql = "SELECT count(*) AS n FROM dead_letters WHERE json_extract(body, '$.site_id') = ?1"
    expect(await count(env.DB_2, sql, two.id)).toBe(1)
    expect(await count(env.DB, sql, two.id)).toBe(0)
  })

  it('runs the jobs over every shard: outbox drain, rebuild and purge', async () => {
    const ts = Date.now() - 3_600_000
    const message: IngestMessage = {
      site_id: two.id,
      day: new Date(ts).toISOString().slice(0, 10),
      source: 'client',
      rows: [
        { site_id: two.id, id: 'lost-1', type: 'page', ts, received_at: ts, uid: 'dee', path: '/' },
      ],
    }
    // What the queue lost: a row older than the drain's age, in the site's shard.
    await insertOutboxStatement(env.DB_2, 'lost', message, Date.now() - OUTBOX_AGE_MS - 1_000).run()
    const res = await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ outbox_drained: 1 })
    expect(await eventsOf(two)).toBe(3) // ann erased, bo, cy, and dee drained
    expect(
      await count(env.DB_2, 'SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1', two.id),
    ).toBe(0)
    // Past every event's retention (395 days by default): both shards purge their own sites.
    const run = await runJobs(env, Date.now() + 400 * 86_400_000)
    expect(run.purged_events).toBeGreaterThanOrEqual(7)
    expect(await eventsOf(one)).toBe(0)
    expect(await eventsOf(two)).toBe(0)
  })
})

describe('cron through the jobs queue', () => {
  /** An outbox row the queue lost, old enough for the drain, in the site's shard. */
  async function lost(s: Sharded, id: string) {
    const ts = Date.now() - 60_000
    const row = {
      site_id: s.id,
      id,
      type: 'page' as const,
      ts,
      received_at: ts,
      uid: 'eve',
      path: '/',
    }
    const message: IngestMessage = { site_id: s.id, day: utcDay(ts), source: 'client', rows: [row] }
    await insertOutboxStatement(s.db, id, message, Date.now() - OUTBOX_AGE_MS - 1_000).run()
  }
  const stored = (s: Sharded, id: string) =>
    count(s.db, 'SELECT count(*) AS n FROM events WHERE site_id = ?1 AND id = ?2', s.id, id)

  it('runs one shard’s jobs per message, against that shard', async () => {
    await lost(two, 'lost-q1')
    const batch = createMessageBatch(JOBS_QUEUE, [
      {
        id: 'j1',
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'jobs', shard: 'DB_2', at: Date.now() },
      },
      {
        id: 'j2',
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'jobs', shard: 'DB_9', at: 1 },
      },
    ])
    await worker.queue(batch, env)
    const result = await getQueueResult(batch, createExecutionContext())
    expect(result.explicitAcks.sort()).toEqual(['j1', 'j2']) // a shard it has not: dropped
    expect(await stored(two, 'lost-q1')).toBe(1)
  })

  it('has cron send a message for every shard, whose jobs drain that shard’s outbox', async () => {
    await Promise.all([lost(one, 'lost-c1'), lost(two, 'lost-c2')])
    expect(env.JOBS).toBeDefined() // so nothing runs inline
    await scheduleJobs(env)
    expect(await until(async () => (await stored(one, 'lost-c1')) === 1)).toBe(true)
    expect(await until(async () => (await stored(two, 'lost-c2')) === 1)).toBe(true)
  })
})

describe('the shard map', () => {
  it('says plainly which binding is missing', async () => {
    expect(() => parseShardMap(env, '{"a": "DB_9"}')).toThrow(
      'SITE_SHARDS maps "a" to "DB_9", which is not a D1 binding named DB or DB_… (D1 bindings: DB, DB_2)',
    )
    expect(() => parseShardMap(env, '["DB_2"]')).toThrow('must be a JSON object')
    const res = await worker.fetch!(
      new Request(`http://stepwise.test/v1/sites/${one.id}/dashboard`, {
        headers: { authorization: `Bearer ${one.read}` },
      }) as never,
      { ...env, SITE_SHARDS: '{"x": "DB_9"}' },
      createExecutionContext(),
    )
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: { code: 'shard_config' } })
  })

  it('keeps a failing shard’s trouble to its own sites', async () => {
    const down = () => Promise.reject(new Error('DB_2 is down'))
    const broken = {
      prepare: () => ({ bind: () => ({ first: down, all: down, run: down }) }),
      batch: down,
    }
    const whoami = (token: string) =>
      worker.fetch!(
        new Request('http://stepwise.test/v1/whoami', {
          headers: { authorization: `Bearer ${token}` },
        }) as never,
        { ...env, DB_2: broken as never },
        createExecutionContext(),
      )
    expect((await whoami(one.read)).status).toBe(200)
    expect((await whoami(two.read)).status).toBe(500)
  })

  it('routes exact ids before the longest prefix, and the rest to DB', () => {
    const mapped = { ...env, SITE_SHARDS: '{"s*": "DB_2", "sh*": "DB", "shx": "DB_2"}' }
    const shards = ['s1', 'shy', 'shx', 'other'].map((id) => shardNameFor(mapped, id))
    expect(shards).toEqual(['DB_2', 'DB', 'DB_2', 'DB'])
  })
})
