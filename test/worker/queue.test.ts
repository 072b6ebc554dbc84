import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { CHUNK_ROWS, EVENT_COLUMNS, insertEventStatements } from '../../worker/db/events'
import type { IngestMessage } from '../../worker/env'
import { storeMessages } from '../../worker/ingest/store'
import worker from '../../worker/index'
import type { EventRow } from '../../worker/schemas'
import { BROWSER_UA, countEvents, createSite, event, ORIGIN } from './helpers'

/** The widest event: every column filled, props at its 20-key, 256-char limit. */
function widestRow(siteId: string, i: number): EventRow {
  const props = Object.fromEntries(
    Array.from({ length: 20 }, (_, k) => [`key_${k}`, 'v'.repeat(256)]),
  )
  return {
    site_id: siteId,
    id: `wide-${i}`.padEnd(64, 'x'),
    type: 'step',
    ts: Date.now(),
    received_at: Date.now(),
    uid: 'u'.repeat(128),
    sid: 's'.repeat(64),
    tier: 't'.repeat(32),
    feature: 'account_linking',
    workflow: 'w'.repeat(64),
    run: 'r'.repeat(64),
    step: 'verify',
    status: 'failed',
    reason: 'mfa_timeout',
    stage: 'onboarding',
    journey: 'lifecycle',
    name: 'n'.repeat(64),
    value: 123.45,
    currency: 'USD',
    institution: 'i'.repeat(64),
    path: '/' + 'p'.repeat(511),
    props: JSON.stringify(props),
    device: 'desktop',
  }
}

/** A D1Database that records the bound-parameter count of every statement it prepares. */
function recordingDb(db: D1Database) {
  const bound: number[] = []
  const sqlLengths: number[] = []
  const proxy = {
    prepare(sql: string) {
      sqlLengths.push(sql.length)
      const stmt = db.prepare(sql)
      return { bind: (...args: unknown[]) => (bound.push(args.length), stmt.bind(...args)) }
    },
    batch: (stmts: D1PreparedStatement[]) => db.batch(stmts),
  } as unknown as D1Database
  return { proxy, bound, sqlLengths }
}

function message(rows: EventRow[]): IngestMessage {
  return { site_id: rows[0].site_id, day: '2026-01-01', source: 'client', rows }
}

describe('storing events', () => {
  it('inserts a 100-event batch of the widest events without exceeding 100 bound parameters per statement', async () => {
    const site = await createSite()
    const rows = Array.from({ length: 100 }, (_, i) => widestRow(site.id, i))
    const { proxy, bound, sqlLengths } = recordingDb(env.DB)
    await storeMessages(proxy, [message(rows)])
    expect(await countEvents(site.id)).toBe(100)
    expect(Math.max(...bound)).toBeLessThanOrEqual(100)
    expect(Math.max(...sqlLengths)).toBeLessThan(100_000)
    // Each statement stays small enough that D1 can bind it: splits by size as well as count.
    expect(insertEventStatements(env.DB, rows).length).toBeGreaterThan(1)
    const stored = await env.DB.prepare('SELECT * FROM events WHERE site_id = ?1 AND id = ?2')
      .bind(site.id, rows[7].id)
      .first()
    expect(stored).toEqual({
      source: 'client',
      ...Object.fromEntries(EVENT_COLUMNS.map((c) => [c, rows[7][c as keyof EventRow] ?? null])),
    })
  })

  it('packs up to CHUNK_ROWS small events into one statement', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      ...widestRow('s', i),
      props: undefined,
      path: '/',
    }))
    expect(insertEventStatements(env.DB, rows).length).toBe(Math.ceil(250 / CHUNK_ROWS))
  })

  it('writes straight to D1 through the same code when no queue is bound', async () => {
    const site = await createSite()
    const e = event({ id: 'direct' })
    const req = new Request('http://stepwise.test/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': BROWSER_UA },
      body: JSON.stringify({ site: site.pk, events: [e] }),
    })
    const res = await worker.fetch(req, { ...env, EVENTS: undefined }, createExecutionContext())
    expect(res.status).toBe(202)
    // No waiting: the direct path has stored the event before answering.
    expect(await countEvents(site.id)).toBe(1)
  })
})

describe('the queue consumer', () => {
  function batchOf(bodies: IngestMessage[], attempts = 1) {
    return createMessageBatch<IngestMessage>(
      'stepwise-events',
      bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
    )
  }

  it('acknowledges a stored batch, and a replayed batch stores nothing twice', async () => {
    const site = await createSite()
    const rows = Array.from({ length: 5 }, (_, i) => ({
      ...widestRow(site.id, i),
      props: undefined,
    }))
    for (let attempt = 1; attempt <= 2; attempt++) {
      const batch = batchOf([message(rows.slice(0, 2)), message(rows.slice(2))], attempt)
      const ctx = createExecutionContext()
      await worker.queue(batch, env)
      const result = await getQueueResult(batch, ctx)
      expect(result.explicitAcks.sort()).toEqual(['m0', 'm1'])
      expect(result.retryMessages).toEqual([])
    }
    expect(await countEvents(site.id)).toBe(5)
  })

  it('retries only a poison message, stores the rest, and a retry stores nothing twice', async () => {
    const site = await createSite()
    const good = [0, 1, 2].map((i) => ({ ...widestRow(site.id, i), props: undefined }))
    const poison = {
      site_id: site.id,
      day: '2026-01-01',
      source: 'client',
      rows: [{ ...good[0], id: null }],
    } as unknown as IngestMessage
    const bodies = [
      message(good.slice(0, 1)),
      message(good.slice(1, 2)),
      poison,
      message(good.slice(2)),
    ]

    const first = batchOf(bodies)
    const ctx = createExecutionContext()
    await worker.queue(first, env)
    const result = await getQueueResult(first, ctx)
    expect(result.ackAll).toBe(false)
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1', 'm3'])
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m2'])
    expect(await countEvents(site.id)).toBe(3)

    // The queue redelivers the whole batch (at-least-once): still three events.
    const again = batchOf(bodies, 2)
    await worker.queue(again, env)
    await getQueueResult(again, createExecutionContext())
    expect(await countEvents(site.id)).toBe(3)
  })

  it('keeps what reaches the dead-letter queue in dead_letters', async () => {
    const body = { rows: [{ broken: true }] } as unknown as IngestMessage
    const batch = createMessageBatch('stepwise-events-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 1, body },
    ])
    await worker.queue(batch, env)
    expect((await getQueueResult(batch, createExecutionContext())).ackAll).toBe(true)
    const row = await env.DB.prepare(
      "SELECT body FROM dead_letters WHERE body LIKE '%broken%'",
    ).first()
    expect(row).toEqual({ body: JSON.stringify(body) })
  })
})
