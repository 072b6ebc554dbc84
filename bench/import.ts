/**
 * Historical import throughput into `wrangler dev`, to set beside ingest's (bench/ingest.ts):
 * `POST /v1/sites/:site/import` with batches of 5,000 events (one D1 transaction each), one at
 * a time and four at once; the same events again (every one a duplicate); and `npm run import`
 * end to end, streaming an NDJSON file.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWorker, type RunningWorker } from '../test/node/support/worker'

const TOTAL = 100_000
const BATCH = 5000
const DAY = 86_400_000

/** A bank's history over 300 days: mostly app events, a tenth billing. */
function historyEvent(i: number, now: number, prefix: string) {
  const base = {
    id: `${prefix}-${i}`,
    ts: now - DAY - Math.floor((i / TOTAL) * 300 * DAY),
    uid: `user-${i % 5000}`,
    tier: ['free', 'plus', 'premium'][i % 3],
  }
  if (i % 10 === 0) {
    return {
      ...base,
      type: 'revenue',
      name: 'subscription_renewed',
      value: 9.99,
      currency: 'USD',
      props: { interval: 'month' },
    }
  }
  return { ...base, type: 'feature', sid: `s-${i % 20_000}`, feature: 'budget_tracking' }
}

async function importAll(
  worker: RunningWorker,
  site: { id: string; admin: string },
  batches: string[],
  concurrency: number,
): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const res = await fetch(`${worker.url}/v1/sites/${site.id}/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${site.admin}`, 'content-type': 'application/json' },
          body: batches[next++],
        })
        if (!res.ok) throw new Error(`import answered ${res.status}: ${await res.text()}`)
      }
    }),
  )
  return TOTAL / ((performance.now() - started) / 1000)
}

function batchesOf(now: number, prefix: string): string[] {
  return Array.from({ length: TOTAL / BATCH }, (_, b) =>
    JSON.stringify({
      events: Array.from({ length: BATCH }, (_, i) => historyEvent(b * BATCH + i, now, prefix)),
    }),
  )
}

export async function benchImport(): Promise<Record<string, string>> {
  const worker = await startWorker()
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-import-bench-'))
  try {
    const site = await worker.createSite([])
    const now = Date.now()
    const rate = (r: number) => Math.round(r).toLocaleString('en')
    const serial = batchesOf(now, 'one')
    const one = await importAll(worker, site, serial, 1)
    const again = await importAll(worker, site, serial, 1)
    const four = await importAll(worker, site, batchesOf(now, 'four'), 4)

    const file = join(dir, 'history.ndjson')
    const lines = Array.from({ length: TOTAL }, (_, i) => historyEvent(i, now, 'cli'))
    writeFileSync(file, lines.map((e) => JSON.stringify(e)).join('\n') + '\n')
    const started = performance.now()
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/import.ts', file, '--site', site.id, '--key', site.admin].concat(
        ['--url', worker.url],
      ),
      { stdio: 'pipe' },
    )
    const cli = TOTAL / ((performance.now() - started) / 1000)
    const stored = worker.query<{ n: number }>(
      'SELECT count(*) AS n FROM events WHERE site_id = ?',
      site.id,
    )[0].n
    if (stored !== 3 * TOTAL) throw new Error(`stored ${stored} events, expected ${3 * TOTAL}`)
    return {
      [`import, ${BATCH.toLocaleString('en')}-event batches, one at a time (events/s)`]: rate(one),
      'import, four batches at once (events/s)': rate(four),
      're-import, every event a duplicate (events/s)': rate(again),
      'npm run import of an NDJSON file (events/s)': rate(cli),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await worker.stop()
  }
}
