/**
 * A small webhook receiver for `npm start` (http://localhost:8789/webhook): it checks each
 * delivery's Standard Webhooks signature with the demo site's secret — by the spec, with Node's
 * own HMAC, not Stepwise's code — drops a repeated webhook-id, and prints one line per message.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'

export const RECEIVER_PORT = 8789

/** True when one of the `v1,…` signatures is the HMAC of `id.timestamp.body` with `secret`. */
export function verifySignature(
  secret: string,
  id: string,
  ts: string,
  body: string,
  header: string,
) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest()
  return header.split(' ').some((sig) => {
    const [version, b64] = sig.split(',')
    const got = Buffer.from(b64 ?? '', 'base64')
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected)
  })
}

export function startReceiver(secret: () => string | undefined): Server {
  const seen = new Set<string>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const h = (name: string) => String(req.headers[name] ?? '')
      const id = h('webhook-id')
      const s = secret()
      const ok = s
        ? verifySignature(s, id, h('webhook-timestamp'), body, h('webhook-signature'))
        : false
      const age = Math.abs(Date.now() / 1000 - Number(h('webhook-timestamp')))
      if (!ok || age > 300) {
        console.log(`  ✗ webhook ${id}: ${ok ? 'timestamp too old' : 'signature did not verify'}`)
        res.writeHead(401).end()
        return
      }
      res.writeHead(200).end()
      if (seen.has(id)) return console.log(`  ↺ webhook ${id} again (already handled)`)
      seen.add(id)
      const m = JSON.parse(body)
      const what =
        m.type === 'test'
          ? 'test message'
          : `${m.alert} ${m.state} ${JSON.stringify(m.scope)}: ${m.metric} ${m.value} vs ${m.threshold} (n ${m.n})`
      console.log(`  ✓ webhook ${m.type} — ${what} — signature verified`)
    })
  })
  server.listen(RECEIVER_PORT, '127.0.0.1')
  server.on('error', (err) => console.log(`  webhook receiver not started: ${err.message}`))
  return server
}
