/**
 * Data for the dashboard's browser tests: the demo bank's story (scripts/demo) for the last
 * few days, sent through the real collector with a secret ingest key, plus one customer whose
 * tier and page path are markup, to prove the dashboard renders event strings as text.
 */
import { demoConfig } from '../../scripts/demo/catalog'
import { generateDemo } from '../../scripts/demo/generate'
import type { Event, EventRow } from '../../worker/schemas'
import { DESKTOP_UA } from './support/chromium'
import { ADMIN_TOKEN, eventually, type RunningWorker } from './support/worker'

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

/**
 * Creates a site, gives it the demo config and keys, and sends `days` days of demo events;
 * with `historyDays`, the subscription history before them. What is older than the collector
 * takes goes through the import endpoint.
 */
export async function seedDemoSite(
  worker: RunningWorker,
  opts: { days?: number; users?: number; historyDays?: number } = {},
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
    historyDays: opts.historyDays ?? 0,
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
  // Older than the collector takes (7 days): the history, through the admin's import below.
  const old = (e: { event: Event }) => e.event.ts < now - 6.5 * 86_400_000
  for (const device of Object.keys(UA)) {
    const events = all.filter((e) => e.device === device && e.event.type !== 'revenue' && !old(e))
    await send(
      events.map((e) => e.event),
      { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA[device] },
      { site: site.pk },
    )
  }
  const history = all.filter(old).map((e) => e.event)
  for (let i = 0; i < history.length; i += 5000) {
    const url = `${base}/import`
    const answer = await call<{ accepted: number }>(url, site.admin, 'POST', {
      events: history.slice(i, i + 5000),
    })
    accepted += answer.accepted
  }
  await send(
    all.filter((e) => e.event.type === 'revenue' && !old(e)).map((e) => e.event),
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
  await buildRollups(worker.url)
  return { id: site.id, admin: site.admin, read, ingest, events: stored }
}

/** Builds the rollups now, through the same jobs cron runs (`POST /v1/admin/jobs/run`). */
async function buildRollups(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/v1/admin/jobs/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    if (res.status !== 200) throw new Error(`jobs/run answered ${res.status}`)
    if (((await res.json()) as { rebuilt_days: number }).rebuilt_days === 0) return
  }
}
