/** Test helpers: make a site through the real admin API, send batches, wait for the queue. */
import { env, exports } from 'cloudflare:workers'

export const ORIGIN = 'https://app.bank.example'
export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

export type TestSite = { id: string; pk: string; admin: string }

let n = 0
export async function createSite(): Promise<TestSite> {
  const res = await call('/v1/admin/sites', {
    method: 'POST',
    token: env.ADMIN_TOKEN,
    body: {
      id: `test-${Date.now().toString(36)}-${++n}`,
      name: 'Test bank',
      allowed_origins: [ORIGIN],
    },
  })
  if (res.status !== 201) throw new Error(`site create failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as {
    site: { id: string }
    public_key: string
    admin_key: { key: string }
  }
  return { id: body.site.id, pk: body.public_key, admin: body.admin_key.key }
}

export async function createKey(site: TestSite, role: string): Promise<string> {
  const res = await call(`/v1/sites/${site.id}/keys`, {
    method: 'POST',
    token: site.admin,
    body: { role },
  })
  return ((await res.json()) as { key: string }).key
}

type CallOptions = {
  method?: string
  token?: string
  body?: unknown
  raw?: string
  headers?: Record<string, string>
}

export function call(path: string, o: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  return exports.default.fetch(`http://stepwise.test${path}`, {
    method: o.method ?? 'GET',
    headers,
    body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
  })
}

/** Sends a batch the way the tracker does: text/plain, from an allowed origin, in a browser. */
export function sendBatch(site: TestSite, events: unknown[], headers: Record<string, string> = {}) {
  return call('/v1/events', {
    method: 'POST',
    raw: JSON.stringify({ site: site.pk, events }),
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      origin: ORIGIN,
      'user-agent': BROWSER_UA,
      ...headers,
    },
  })
}

let seq = 0
export function event(fields: Record<string, unknown> = {}) {
  return {
    id: `e${Date.now().toString(36)}${++seq}`,
    type: 'page',
    ts: Date.now(),
    uid: 'u1',
    sid: 's1',
    path: '/',
    ...fields,
  }
}

export async function countEvents(siteId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?1')
    .bind(siteId)
    .first<{ n: number }>()
  return row!.n
}

/** The queue delivers asynchronously: wait until `expected` events are stored (or fail). */
export async function waitForEvents(
  siteId: string,
  expected: number,
  timeoutMs = 8000,
): Promise<number> {
  const until = Date.now() + timeoutMs
  let count = await countEvents(siteId)
  while (count < expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50))
    count = await countEvents(siteId)
  }
  return count
}

/** Waits for the queue to go quiet, for asserting that nothing MORE arrives. */
export async function settle(siteId: string): Promise<number> {
  let last = -1
  let count = await countEvents(siteId)
  while (count !== last) {
    last = count
    await new Promise((r) => setTimeout(r, 1500))
    count = await countEvents(siteId)
  }
  return count
}

let revenueSeq = 0
/** A subscription event as a bank's backend sends it (DESIGN §7.9), in USD, with a fresh id. */
export function revenueEvent(
  uid: string,
  ts: number,
  name: string,
  tier: string,
  value: number,
  interval = 'month',
) {
  return {
    id: `rev-${++revenueSeq}`,
    type: 'revenue',
    ts,
    uid,
    name,
    tier,
    value,
    currency: 'USD',
    props: { interval },
  }
}
