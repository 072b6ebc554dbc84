import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { insertEventStatements } from '../../worker/db/events'
import { EVENT_KEY, eventSections } from '../../worker/db/event-export'
import { pageQuery, walk } from '../../worker/db/keyset'
import { pullStream } from '../../worker/routes/compliance/stream'
import type { EventRow } from '../../worker/schemas'
import { call, createKey, createSite, type TestSite } from './helpers'

const DAY = 86_400_000
const T0 = Date.parse('2026-03-01T00:00:00Z')

/** 2,500 events: 1,200 pages, 800 feature uses and 500 steps over ten days. */
function rows(siteId: string): EventRow[] {
  const out: EventRow[] = []
  for (let i = 0; i < 2500; i++) {
    const type = i < 1200 ? 'page' : i < 2000 ? 'feature' : 'step'
    out.push({
      site_id: siteId,
      id: `ev-${String(i).padStart(4, '0')}`,
      type,
      ts: T0 + (i % 10) * DAY + i * 1000,
      received_at: T0,
      uid: `user-${i % 7}`,
      ...(type === 'page' ? { path: '/accounts' } : {}),
      ...(type === 'feature' ? { feature: 'budget_tracking', value: 1.5 } : {}),
      ...(type === 'step' ? { workflow: 'account_linking', run: `r${i}`, step: 'start' } : {}),
    } as EventRow)
  }
  return out
}

/** The body as it arrives, chunk by chunk. */
async function chunks(res: Response): Promise<string[]> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const out: string[] = []
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return out
    out.push(decoder.decode(value))
  }
}

const START = { section: 0, after: null }
const lines = (text: string) => text.split('\n').filter(Boolean)
/** NDJSON is text, but workerd's Response.text() warns about a type it does not know. */
const textOf = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer())

type Line = Record<string, unknown> & { id?: string; cursor?: string; next_cursor?: string | null }

let site: TestSite
beforeAll(async () => {
  site = await createSite()
  await env.DB.batch(insertEventStatements(env.DB, rows(site.id)))
})

const get = (query: string, token = site.admin) =>
  call(`/v1/sites/${site.id}/export${query}`, { token })

describe('GET /v1/sites/:site/export (NDJSON)', () => {
  it('streams every event once, a page of at most 1,000 to a chunk, then the end', async () => {
    const res = await get('')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const parts = await chunks(res)
    expect(parts.length).toBeGreaterThanOrEqual(3) // written a page (≤ 1,000 events) at a time
    const all = lines(parts.join('')).map((l) => JSON.parse(l) as Line)
    expect(all.at(-1)).toEqual({ next_cursor: null })
    const events = all.slice(0, -1)
    expect(events).toHaveLength(2500)
    expect(new Set(events.map((e) => e.id)).size).toBe(2500)
    expect(events[0]).toMatchObject({ type: 'page', path: '/accounts', source: 'client' })
    expect(events[0]).not.toHaveProperty('site_id')
    expect(events[0]).not.toHaveProperty('feature') // empty fields are left out
    expect(events.map((e) => e.type)).toEqual([
      ...Array(1200).fill('page'),
      ...Array(800).fill('feature'),
      ...Array(500).fill('step'),
    ])
  })

  it('stops at `limit` with a cursor that resumes exactly after the last event', async () => {
    const first = lines(await textOf(await get('?limit=1500'))).map((l) => JSON.parse(l) as Line)
    expect(first).toHaveLength(1501)
    const { next_cursor } = first.at(-1)!
    expect(next_cursor).toEqual(expect.any(String))
    expect(next_cursor).toBe(first.at(-2)!.cursor)
    const rest = lines(await textOf(await get(`?cursor=${next_cursor}`))).map(
      (l) => JSON.parse(l) as Line,
    )
    expect(rest.at(-1)).toEqual({ next_cursor: null })
    const ids = [...first.slice(0, -1), ...rest.slice(0, -1)].map((e) => e.id)
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
  })

  it('resumes a broken download from the cursor of its last whole line', async () => {
    const res = await get('')
    const reader = res.body!.getReader()
    const { value } = await reader.read() // the first chunk, then the connection "drops"
    await reader.cancel()
    const text = new TextDecoder().decode(value)
    const whole = text.slice(0, text.lastIndexOf('\n')) // a line cut short is dropped
    const got = lines(whole).map((l) => JSON.parse(l) as Line)
    expect(got.length).toBeGreaterThan(0)
    expect(got.length).toBeLessThan(2500)
    const rest = lines(await textOf(await get(`?cursor=${got.at(-1)!.cursor}`)))
      .map((l) => JSON.parse(l) as Line)
      .slice(0, -1)
    const ids = [...got, ...rest].map((e) => e.id)
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
  })

  it('filters by type and by from–to (dates, `to` inclusive)', async () => {
    const ofType = lines(await textOf(await get('?type=step'))).slice(0, -1)
    expect(ofType).toHaveLength(500)
    const day = (n: number) => new Date(T0 + n * DAY).toISOString().slice(0, 10)
    const expected = rows(site.id).filter((r) => r.ts >= T0 + 2 * DAY && r.ts < T0 + 4 * DAY)
    const ranged = lines(await textOf(await get(`?from=${day(2)}&to=${day(3)}`)))
      .slice(0, -1)
      .map((l) => (JSON.parse(l) as Line).id)
    expect([...ranged].sort()).toEqual(expected.map((r) => r.id).sort())
  })

  it('is audited', async () => {
    await textOf(await get('?type=page&limit=1'))
    const row = await env.DB.prepare(
      `SELECT details FROM audit_log WHERE site_id = ?1 AND action = 'events.export'
       ORDER BY id DESC LIMIT 1`,
    )
      .bind(site.id)
      .first<{ details: string }>()
    expect(JSON.parse(row!.details)).toMatchObject({ format: 'ndjson', type: 'page' })
  })
})

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++)
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') (record.push(field), (field = ''))
    else if (ch === '\r' && text[i + 1] === '\n') {
      ;(record.push(field), records.push(record), (record = []), (field = ''), i++)
    } else field += ch
  }
  return records
}

describe('GET /v1/sites/:site/export?format=csv', () => {
  it('has a header row and one record per event, with the cursor last', async () => {
    const res = await get('?format=csv')
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    const [header, ...records] = parseCsv(await res.text())
    expect(header.slice(0, 3)).toEqual(['id', 'source', 'type'])
    expect(header.at(-1)).toBe('cursor')
    expect(records).toHaveLength(2500)
    const first = Object.fromEntries(header.map((h, i) => [h, records[0][i]]))
    expect(first).toMatchObject({ type: 'page', path: '/accounts', feature: '' })
    expect(Number(first.ts)).toBe(T0)
  })

  it('quotes commas, quotes and line breaks, and defuses formulas', async () => {
    const other = await createSite()
    const tricky = {
      site_id: other.id,
      type: 'page',
      received_at: T0,
      props: JSON.stringify({ note: 'a, "b"\nc' }),
    }
    await env.DB.batch(
      insertEventStatements(env.DB, [
        { ...tricky, id: 'a', ts: T0, uid: '=HYPERLINK("http://evil.example")', path: '/x,y' },
        { ...tricky, id: 'b', ts: T0 + 1, uid: '@SUM(A1)', path: '-1+2', value: -12.5 },
        { ...tricky, id: 'c', ts: T0 + 2, uid: '+cmd', path: '\ttab' },
      ] as EventRow[]),
    )
    const res = await call(`/v1/sites/${other.id}/export?format=csv`, { token: other.admin })
    const [header, ...records] = parseCsv(await res.text())
    const col = (name: string) => records.map((r) => r[header.indexOf(name)])
    expect(col('uid')).toEqual(['\'=HYPERLINK("http://evil.example")', "'@SUM(A1)", "'+cmd"])
    expect(col('path')).toEqual(['/x,y', "'-1+2", "'\ttab"])
    expect(col('value')).toEqual(['', '-12.5', '']) // numbers are left as they are
    expect(col('props')).toEqual(Array(3).fill('{"note":"a, \\"b\\"\\nc"}'))
  })
})

describe('export requests', () => {
  it('are for admin keys only', async () => {
    for (const role of ['read', 'ingest']) {
      expect((await get('', await createKey(site, role))).status).toBe(403)
    }
    expect((await call(`/v1/sites/${site.id}/export`)).status).toBe(401)
  })

  it('answer 400 for a cursor of another type, a made-up cursor or a bad format', async () => {
    const page = lines(await textOf(await get('?type=page&limit=1'))).map(
      (l) => JSON.parse(l) as Line,
    )
    for (const q of [
      `?type=step&cursor=${page[0].cursor}`,
      '?cursor=bm90LWEtY3Vyc29y',
      '?format=xml',
      '?from=2026-02-30',
      '?limit=100001',
    ]) {
      const res = await get(q)
      expect(res.status, q).toBe(400)
      await res.arrayBuffer()
    }
  })
})

describe('the export stream', () => {
  it('reads D1 a page of at most 1,000 events at a time', async () => {
    const sizes: number[] = []
    for await (const page of walk(env.DB, eventSections({ siteId: site.id }), START, 1e5)) {
      if (page.rows.length) sizes.push(page.rows.length)
    }
    expect(sizes).toEqual([1000, 200, 800, 500])
  })

  it('asks for the next page only when the reader wants more', async () => {
    const asked: number[] = []
    async function* pages() {
      for (let i = 0; i < 100; i++) (asked.push(i), yield `page ${i}\n`)
    }
    const reader = pullStream(pages()).getReader()
    await reader.read()
    await reader.read()
    expect(asked.length).toBeLessThanOrEqual(3) // two read, at most one queued ahead
    await reader.cancel()
  })
})

describe('the export query', () => {
  it("keys pages by the events table's whole primary key", async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM pragma_table_info('events') WHERE pk > 0 ORDER BY pk",
    ).all<{ name: string }>()
    expect(results.map((r) => r.name)).toEqual(['site_id', ...EVENT_KEY])
  })

  it('seeks each page on the (site_id, type, ts) index, without sorting', async () => {
    const [section] = eventSections({ siteId: site.id, type: 'page', from: T0, to: T0 + DAY })
    const plans: string[] = []
    for (const after of [null, [T0, 'ev-0001', 'client']]) {
      const q = pageQuery(section, after, 1000)
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .bind(...q.values)
        .all<{ detail: string }>()
      plans.push(results.map((r) => r.detail).join(' | '))
    }
    for (const plan of plans) {
      expect(plan).toMatch(
        /SEARCH events USING INDEX events_site_type_ts \(site_id=\? AND type=\? AND/,
      )
      expect(plan).not.toMatch(/TEMP B-TREE/)
    }
    expect(plans[1]).toMatch(/\(ts,id,source\)>/)
  })
})
