/**
 * From a burst of failed bank connections to the signed webhook at a local receiver, through
 * `wrangler dev`: ingest (queue → D1), the alert evaluation and the delivery. The jobs run on
 * demand every 250 ms here (locally cron cannot fire, workers-sdk#9882); in production cron
 * runs every minute, which adds up to 60 s to each figure.
 */
import { createServer } from 'node:http'
import { ADMIN_TOKEN, startWorker, type RunningWorker } from '../test/node/support/worker'
import { verifySignature } from '../scripts/webhook-receiver'

const ROUNDS = 5
const BURST = 40

async function api(w: RunningWorker, path: string, key: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${w.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as any
}

export async function benchAlerts(): Promise<Record<string, string>> {
  const arrived: { at: number; verified: boolean }[] = []
  let secret = ''
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const h = (n: string) => String(req.headers[n] ?? '')
      const verified = verifySignature(
        secret,
        h('webhook-id'),
        h('webhook-timestamp'),
        body,
        h('webhook-signature'),
      )
      if (JSON.parse(body).type === 'alert.firing') arrived.push({ at: Date.now(), verified })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const port = (receiver.address() as { port: number }).port
  const worker = await startWorker({ vars: { DEV_ALLOW_LOCAL_WEBHOOKS: '1' } })
  const times: number[] = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const site = await worker.createSite([])
      const config = await api(worker, `/v1/sites/${site.id}/config`, site.admin, 'PATCH', {
        webhook_url: `http://127.0.0.1:${port}/hook`,
        alerts: [
          {
            id: 'burst',
            metric: 'connection_success_rate',
            scope: { institution: 'bench_bank' },
            threshold: 0.9,
            window: '5m',
            min_sample: 20,
            pending_evaluations: 1,
          },
        ],
      })
      secret = config.webhook_secret
      const ingest = (
        await api(worker, `/v1/sites/${site.id}/keys`, site.admin, 'POST', { role: 'ingest' })
      ).key
      const now = Date.now()
      const events = Array.from({ length: BURST }, (_, i) => ({
        id: `burst-${round}-${i}`,
        type: 'connection',
        ts: now - i,
        uid: `u${i}`,
        institution: 'bench_bank',
        status: 'failed',
        reason: 'institution_error',
      }))
      const seen = arrived.length
      const sent = Date.now()
      await api(worker, '/v1/events', ingest, 'POST', { events })
      while (arrived.length === seen && Date.now() - sent < 60_000) {
        await fetch(`${worker.url}/v1/admin/jobs/run`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        await new Promise((r) => setTimeout(r, 250))
      }
      if (arrived.length === seen) throw new Error('no webhook within 60 s')
      times.push(arrived[arrived.length - 1].at - sent)
    }
  } finally {
    await worker.stop()
    receiver.close()
  }
  const sorted = [...times].sort((a, b) => a - b)
  return {
    'failure burst → signed webhook (jobs every 250 ms)': `p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms (${ROUNDS} rounds)`,
    'signatures verified': `${arrived.filter((a) => a.verified).length} of ${arrived.length}`,
    'in production (cron every minute)': 'add up to 60 s',
  }
}
