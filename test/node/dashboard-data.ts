/**
 * Data for the dashboard's browser tests: the demo bank's story (scripts/demo) for the last
 * few days, sent through the real collector with a secret ingest key, plus one customer whose
 * tier and page path are markup, to prove the dashboard renders event strings as text.
 */
import Database from 'better-sqlite3'
import { existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoConfig } from '../../scripts/demo/catalog'
import { generateDemo } from '../../scripts/demo/generate'
import { rebuildDirtyDays } from '../../worker/rollups'
import type { Event, EventRow } from '../../worker/schemas'
import { DESKTOP_UA } from './support/chromium'
import { eventually, type RunningWorker } from './support/worker'

export const HOSTILE = '<img src=x onerror=alert(1)>'
const ORIGIN = 'https://app.bank.example'

const UA: Record<string, string> = {
  desktop: DESKTOP_UA,
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  tablet:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
}

export type SeededSite = { id: string; admin: string; read: string; ingest: string; events: number }

async function call<T>(url: string, key: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** An event as stored back to the wire format the collector takes. */
function toWire(row: EventRow): Event {
  const { site_id: _s, device: _d, received_at: _r, props, ...rest } = row
  const event = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== null),
  ) as unknown as Event
  if (props) event.props = JSON.parse(props)
  return event
}

/** A customer on the hostile tier who does a little of everything. */
function hostileEvents(now: number): { device: string; event: Event }[] {
  const base = { uid: 'hostile-1', sid: 'hostile-s1', tier: HOSTILE }
  const t = (min: number) => now - 2 * 86_400_000 + min * 60_000
  const events: Event[] = [
    { id: 'h1', type: 'identify', ts: t(0), ...base },
    { id: 'h2', type: 'page', ts: t(1), path: `/${HOSTILE}`, ...base },
    { id: 'h3', type: 'stage', ts: t(2), stage: 'onboarding', ...base },
    {
      id: 'h4',
      type: 'feature',
      ts: t(3),
      feature: 'budget_tracking',
      status: 'completed',
      value: 30,
      ...base,
    },
    { id: 'h5', type: 'feedback', ts: t(4), feature: 'budget_tracking', value: 2, ...base },
    {
      id: 'h6',
      type: 'step',
      ts: t(5),
      workflow: 'account_linking',
      run: 'hr1',
      step: 'start',
      status: 'completed',
      ...base,
    },
    {
      id: 'h7',
      type: 'step',
      ts: t(6),
      workflow: 'account_linking',
      run: 'hr1',
      step: 'connect',
      status: 'failed',
      reason: 'closed_modal',
      ...base,
    },
  ]
  return events.map((event) => ({ device: 'mobile', event }))
}

/** Creates a site, gives it the demo config and keys, and sends `days` days of demo events. */
export async function seedDemoSite(
  worker: RunningWorker,
  opts: { days?: number; users?: number } = {},
): Promise<SeededSite> {
  const site = await worker.createSite([ORIGIN])
  const base = `${worker.url}/v1/sites/${site.id}`
  await call(`${base}/config`, site.admin, 'PATCH', { ...demoConfig(), allowed_origins: [ORIGIN] })
  const [read, ingest] = await Promise.all(
    ['read', 'ingest'].map((role) =>
      call<{ key: string }>(`${base}/keys`, site.admin, 'POST', { role }).then((k) => k.key),
    ),
  )
  const now = Date.now() - 60_000
  const { events: rows } = generateDemo({
    siteId: site.id,
    now,
    days: opts.days ?? 6,
    users: opts.users ?? 120,
    seed: 7,
  })
  const all = [
    ...rows.map((r) => ({ device: r.device ?? 'desktop', event: toWire(r) })),
    ...hostileEvents(now),
  ]
  // Browser events go the tracker's way (public key, allowed origin, the device's user agent),
  // so they carry a device; revenue needs the secret ingest key, as from the bank's backend.
  let accepted = 0
  const send = async (events: Event[], headers: Record<string, string>, body: object) => {
    for (let i = 0; i < events.length; i += 100) {
      const res = await fetch(`${worker.url}/v1/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...body, events: events.slice(i, i + 100) }),
      })
      if (res.status !== 202) throw new Error(`ingest: ${res.status} ${await res.text()}`)
      accepted += ((await res.json()) as { accepted: number }).accepted
    }
  }
  for (const device of Object.keys(UA)) {
    const events = all.filter((e) => e.device === device && e.event.type !== 'revenue')
    await send(
      events.map((e) => e.event),
      { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA[device] },
      { site: site.pk },
    )
  }
  await send(
    all.filter((e) => e.event.type === 'revenue').map((e) => e.event),
    {
      authorization: `Bearer ${ingest}`,
      'content-type': 'application/json',
      'user-agent': UA.desktop,
    },
    {},
  )
  const count = () =>
    worker.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE site_id = ?', site.id)[0].n
  const stored = await eventually(count, (n) => n >= accepted, 180_000)
  if (stored < accepted) throw new Error(`only ${stored} of ${accepted} events were stored`)
  await buildRollups(site.id)
  return { id: site.id, admin: site.admin, read, ingest, events: stored }
}

/**
 * Builds the site's rollups the way cron does. Local dev cannot fire cron while the Worker has
 * static assets (workers-sdk#9882, fixed after our wrangler), so this runs the Worker's own
 * `rebuildDirtyDays` against the D1 file of this `wrangler dev`, found by the site it holds.
 */
async function buildRollups(siteId: string): Promise<void> {
  const db = new Database(findD1File(siteId))
  try {
    while ((await rebuildDirtyDays(d1Over(db))) > 0);
  } finally {
    db.close()
  }
}

function findD1File(siteId: string): string {
  for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith('stepwise-e2e-'))) {
    const d1 = join(tmpdir(), dir, 'v3', 'd1', 'miniflare-D1DatabaseObject')
    if (!existsSync(d1)) continue
    for (const f of readdirSync(d1).filter(
      (f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite',
    )) {
      const db = new Database(join(d1, f), { readonly: true })
      try {
        if (db.prepare('SELECT 1 FROM sites WHERE id = ?').get(siteId)) return join(d1, f)
      } catch {
        // not a Stepwise database
      } finally {
        db.close()
      }
    }
  }
  throw new Error(`no local D1 holds site ${siteId}`)
}

/** Just enough of D1Database over better-sqlite3 for the rollup code (`?1` → `@p1`). */
function d1Over(db: Database.Database): D1Database {
  const statement = (sql: string, args: unknown[] = []) => {
    const named = sql.replace(/\?(\d+)/g, '@p$1')
    const params = Object.fromEntries(args.map((a, i) => [`p${i + 1}`, a]))
    const run = () => db.prepare(named)
    return {
      bind: (...more: unknown[]) => statement(sql, more),
      all: async () => ({
        results: run().reader ? run().all(params) : [],
        success: true,
        meta: {},
      }),
      first: async () => (run().get(params) as unknown) ?? null,
      run: async () => ({
        results: [],
        success: true,
        meta: { changes: run().run(params).changes },
      }),
      exec: () => (run().reader ? run().all(params) : run().run(params)),
    }
  }
  return {
    prepare: (sql: string) => statement(sql),
    batch: async (stmts: ReturnType<typeof statement>[]) =>
      db.transaction(() => stmts.map((s) => ({ results: s.exec(), success: true, meta: {} })))(),
  } as unknown as D1Database
}
