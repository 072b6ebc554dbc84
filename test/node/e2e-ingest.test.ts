import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startWorker, type RunningWorker } from './support/worker'

const ORIGIN = 'https://app.bank.example'
let worker: RunningWorker

beforeAll(async () => {
  worker = await startWorker()
})
afterAll(() => worker?.stop())

describe('wrangler dev', () => {
  it('takes a batch over HTTP and stores it in D1 through the queue', async () => {
    const site = await worker.createSite([ORIGIN])
    const res = await fetch(`${worker.url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: ORIGIN,
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/147.0',
      },
      body: JSON.stringify({
        site: site.pk,
        events: [{ id: 'a1', type: 'page', ts: Date.now(), path: '/accounts?x=1' }],
      }),
    })
    expect(res.status).toBe(202)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const rows = await eventually(
      () =>
        worker.query<{ path: string; device: string }>(
          'SELECT path, device FROM events WHERE site_id = ?',
          site.id,
        ),
      (r) => r.length > 0,
    )
    expect(rows).toEqual([{ path: '/accounts', device: 'desktop' }])
  })
})
