/**
 * A webhook receiver and a DNS-over-HTTPS test zone for the worker tests, in Node, started by
 * vitest.config.ts (workerd reaches it over loopback). `POST /hook/<behaviour>/<anything>`:
 * `ok` answers 200, `500` 500, `410` 410, `fail-once` 500 then 200, `slow` after 12 s,
 * `busy` 503 with Retry-After: 120. Every request is kept: `GET /_received?path=…`.
 * `GET /dns-query?name=&type=A|AAAA` answers from the zone (503 for dnsfail.example.test); `POST /_dns {name, a?, aaaa?}` sets
 * a name, so a test can make a name start resolving inward.
 */
import { createServer, type IncomingMessage } from 'node:http'

export type Received = { path: string; headers: Record<string, string>; body: string; at: number }

const ZONE = new Map<string, { a?: string[]; aaaa?: string[] }>([
  ['public.example.test', { a: ['93.184.216.34'] }],
  ['inward.example.test', { a: ['10.0.0.7'] }],
  ['inward6.example.test', { aaaa: ['fd00::1'] }],
  ['metadata.example.test', { a: ['169.254.169.254'] }],
  ['mixed.example.test', { a: ['93.184.216.34', '192.168.0.10'] }],
])

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => resolve(body))
  })
}

export async function startReceiver(): Promise<{ url: string; close: () => void }> {
  const received: Received[] = []
  const seen = new Map<string, number>()
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const body = await read(req)
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(value))
    }
    if (url.pathname === '/dns-query') {
      if (url.searchParams.get('name') === 'dnsfail.example.test') return json(503, {})
      const entry = ZONE.get(url.searchParams.get('name') ?? '')
      const type = url.searchParams.get('type') === 'AAAA' ? 28 : 1
      const data = (type === 28 ? entry?.aaaa : entry?.a) ?? []
      return json(200, { Status: entry ? 0 : 3, Answer: data.map((d) => ({ type, data: d })) })
    }
    if (url.pathname === '/_dns' && req.method === 'POST') {
      const { name, a, aaaa } = JSON.parse(body)
      ZONE.set(name, { a, aaaa })
      return json(200, { ok: true })
    }
    if (url.pathname === '/_received') {
      const path = url.searchParams.get('path')
      return json(
        200,
        received.filter((r) => r.path === path),
      )
    }
    const [, hook, behaviour] = url.pathname.split('/')
    if (hook !== 'hook') return json(404, { error: 'no such path' })
    received.push({
      path: url.pathname,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(',') : (v ?? ''),
        ]),
      ),
      body,
      at: Date.now(),
    })
    const count = (seen.get(url.pathname) ?? 0) + 1
    seen.set(url.pathname, count)
    if (behaviour === 'slow') await new Promise((r) => setTimeout(r, 12_000))
    if (behaviour === '500' || (behaviour === 'fail-once' && count === 1)) return json(500, {})
    if (behaviour === '410') return json(410, {})
    if (behaviour === 'busy') return json(503, {}, { 'retry-after': '120' })
    return json(200, { ok: true })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.unref()
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}
