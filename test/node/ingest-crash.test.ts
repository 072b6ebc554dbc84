/**
 * A crash under load: `wrangler dev`'s local queue keeps messages in memory, so killing the
 * process loses what it had not yet delivered. Every event that was answered 202 must still be
 * stored, exactly once, after a restart on the same state and the jobs run.
 */
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import {
  ADMIN_TOKEN,
  eventually,
  newStateDir,
  startWorker,
  type RunningWorker,
} from './support/worker'

const ORIGIN = 'https://app.bank.example'
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/147.0'
const BATCH = 100
const SENDERS = 8
/** Batches answered 202 before the crash: far inside the limiter's 600 requests a minute. */
const CRASH_AFTER = 150

const state = newStateDir()
let worker: RunningWorker | undefined
afterAll(async () => {
  await worker?.stop()
  rmSync(state, { recursive: true, force: true })
})

describe('a crash of wrangler dev under load', () => {
  it('keeps every event it answered 202 for, stored once after a restart', async () => {
    worker = await startWorker({ state, group: true })
    const site = await worker.createSite([ORIGIN])
    const acked: string[] = []
    let batches = 0
    let crashing: Promise<void> | undefined
    const send = async (sender: number) => {
      for (let b = 0; !crashing; b++) {
        const ids = Array.from({ length: BATCH }, (_, i) => `c${sender}-${b}-${i}`)
        const body = JSON.stringify({
          site: site.pk,
          events: ids.map((id) => ({ id, type: 'page', ts: Date.now(), path: '/load' })),
        })
        const res = await fetch(`${worker!.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA },
          body,
        }).catch(() => undefined)
        if (res?.status !== 202) continue
        acked.push(...ids)
        if (++batches === CRASH_AFTER) crashing = worker!.crash()
      }
    }
    await Promise.all(Array.from({ length: SENDERS }, (_, s) => send(s)))
    await crashing
    const storedAtCrash = count(worker)

    worker = await startWorker({ state })
    const stored = await eventually(
      async () => {
        await fetch(`${worker!.url}/v1/admin/jobs/run`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        return count(worker!)
      },
      (n) => n >= acked.length,
      240_000,
    )
    const ids = new Set(worker.query<{ id: string }>('SELECT id FROM events').map((r) => r.id))
    const lost = acked.filter((id) => !ids.has(id))
    expect(
      { lost: lost.length, storedAtCrash, acked: acked.length },
      `stored ${stored} of ${acked.length} acknowledged events`,
    ).toEqual({ lost: 0, storedAtCrash, acked: acked.length })
    const twice = worker.query('SELECT id FROM events GROUP BY id, source HAVING count(*) > 1')
    expect(twice).toEqual([])
    expect(worker.query('SELECT id FROM ingest_outbox')).toEqual([])
  }, 420_000)
})

function count(w: RunningWorker): number {
  return w.query<{ n: number }>('SELECT count(*) AS n FROM events')[0].n
}
