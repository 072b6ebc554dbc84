/**
 * A collector in front of the collector: forwards every request to the real `wrangler dev`
 * and keeps the event ids of each batch that reached it, however the browser sent it
 * (fetch, keepalive, beacon from a page already gone), so a test can tell that an event
 * arrived exactly once, not merely that D1 stored it once.
 */
import { createServer, type Server } from 'node:http'
import { freePort } from './worker'

export type CountingProxy = {
  url: string
  /** How many batches carried each event id. */
  counts: () => Map<string, number>
  /** Every batch that reached the collector, in order: its kind and ids. */
  batches: { at: number; ids: string[] }[]
  /** Holds the answer to the next batch for `ms` (the request has reached the collector). */
  holdNext: (ms: number) => void
  close: () => Promise<void>
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const batches: CountingProxy['batches'] = []
  let hold = 0
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    if (req.method == 'POST' && req.url?.startsWith('/v1/events')) {
      try {
        const ids = (JSON.parse(body.toString()).events ?? []).map((e: { id: string }) => e.id)
        batches.push({ at: Date.now(), ids })
      } catch {
        batches.push({ at: Date.now(), ids: [] })
      }
      const ms = hold
      hold = 0
      if (ms) await new Promise((r) => setTimeout(r, ms))
    }
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && k != 'host' && k != 'connection' && k != 'content-length')
        headers.set(k, Array.isArray(v) ? v.join(',') : v)
    try {
      const answer = await fetch(target + req.url, {
        method: req.method,
        headers,
        body: req.method == 'GET' || req.method == 'HEAD' ? undefined : body,
        redirect: 'manual',
      })
      const out: Record<string, string> = {}
      answer.headers.forEach((v, k) => {
        if (k != 'content-encoding' && k != 'content-length' && k != 'transfer-encoding') out[k] = v
      })
      res.writeHead(answer.status, out)
      res.end(Buffer.from(await answer.arrayBuffer()))
    } catch {
      res.writeHead(502).end()
    }
  })
  const port = await freePort()
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${port}`,
    batches,
    holdNext: (ms) => void (hold = ms),
    counts: () => {
      const m = new Map<string, number>()
      for (const b of batches) for (const id of b.ids) m.set(id, (m.get(id) ?? 0) + 1)
      return m
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}
