/**
 * Ingest throughput over HTTP into `wrangler dev` (batches of 50, concurrency 8) on these paths,
 * side by side in one run: the smallest possible Hono + D1 ingest (bench/minimal: no key, no
 * validation, no queue); Stepwise from a bank's backend with secret ingest keys (stored in D1
 * before the 202); and Stepwise from a page with the site's public key (`pk_`, from an allowed
 * origin: validated, PII-guarded, written to the outbox, then through the queue into D1). Each
 * is timed to accepted and to stored, polling D1 until every event is there, and Stepwise's
 * rates are printed as fractions of the minimal worker's (issue 13: the public key stored end
 * to end ≥ 0.8). A fourth path is the public key as deployed, INGEST_OUTBOX=off (no outbox row
 * before the 202: Cloudflare Queues keep a sent message), beside the local default that writes
 * one. Beside them, the raw SQLite ceiling for the same schema (better-sqlite3, one
 * transaction), and D1 rows_written per stored event.
 */
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import { EVENT_COLUMNS, insertEventStatements } from '../worker/db/events'
import type { EventRow } from '../worker/schemas'
import { eventually, startWorker } from '../test/node/support/worker'
import { devCpuMs } from './cpu'
import { startMinimal } from './minimal/run'

const TOTAL = 20_000
const BATCH = 50
const CONCURRENCY = 8
/** Each sender is one bank backend with its own ingest key (the limiter counts per key). */
const SENDERS = 32

function wireEvent(i: number, now: number) {
  return {
    id: `bench-${i}`,
    type: 'step',
    ts: now - (i % 1000),
    uid: `user-${i % 2000}`,
    sid: `sess-${i % 5000}`,
    tier: ['free', 'plus', 'premium'][i % 3],
    workflow: 'account_linking',
    run: `run-${i % 4000}`,
    step: ['start', 'connect', 'verify', 'complete'][i % 4],
    status: 'completed',
    value: 12.5,
    path: '/accounts/link',
    props: { institution: 'first_example_bank', attempt: 1 },
  }
}

/** A page that may send with the public key (allowed_origins). */
const ORIGIN = 'https://bank.bench.example'
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

type Sent = { acceptedMs: number; storedMs: number; limited: number; cpuMs: number }

/**
 * Sends `batches` (`headers(b)` for batch b, concurrency 8, a 429 waits a second and retries),
 * then polls D1 until the site holds `TOTAL` events.
 */
async function sendAll(
  worker: { url: string },
  stored: () => number,
  target: number,
  batches: string[],
  headers: (b: number) => Record<string, string>,
): Promise<Sent> {
  let next = 0
  let limited = 0
  const port = new URL(worker.url).port
  const cpuBefore = devCpuMs(port)
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const b = next++
        for (;;) {
          const res = await fetch(`${worker.url}/v1/events`, {
            method: 'POST',
            headers: headers(b),
            body: batches[b],
          })
          const text = await res.text()
          if (res.status === 202) break
          if (res.status !== 429) throw new Error(`ingest answered ${res.status}: ${text}`)
          limited++
          await new Promise((r) => setTimeout(r, 1000))
        }
      }
    }),
  )
  const acceptedMs = performance.now() - started
  const count = await eventually(stored, (n) => n >= target, 180_000)
  const storedMs = performance.now() - started
  if (count < target) throw new Error(`only ${count} of ${target} events were stored`)
  return { acceptedMs, storedMs, limited, cpuMs: devCpuMs(port) - cpuBefore }
}

function wireBatches(now: number, prefix: string, site?: string): string[] {
  return Array.from({ length: TOTAL / BATCH }, (_, b) =>
    JSON.stringify({
      ...(site ? { site } : {}),
      events: Array.from({ length: BATCH }, (_, i) => ({
        ...wireEvent(b * BATCH + i, now),
        id: `${prefix}-${b * BATCH + i}`,
      })),
    }),
  )
}

/**
 * Rounds, each sending TOTAL events down every path, the order reversed every other round so the
 * public key always runs next to the minimal worker: the shared machine's load drifts over a
 * run, and each ratio compares sums over the same rounds (and, less moved by one busy moment,
 * the median of the rounds' own ratios).
 */
const ROUNDS = 5
const rate = (ms: number) => Math.round((ROUNDS * TOTAL) / (ms / 1000)).toLocaleString('en')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const sum = (sent: Sent[], k: keyof Sent) => sent.reduce((n, s) => n + s[k], 0)

export async function benchIngest(): Promise<Record<string, string>> {
  const now = Date.now()
  const minimal = await startMinimal()
  const worker = await startWorker()
  // As deployed (README, "What a 202 guarantees"): Cloudflare Queues keep a sent message, so no
  // outbox row is written before the 202; local mode keeps the outbox on by default.
  const direct = await startWorker({ vars: { INGEST_OUTBOX: 'off' } })
  const storedIn = (w: typeof worker, siteId: string) => () =>
    w.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE site_id = ?', siteId)[0].n
  try {
    const backend = await worker.createSite([])
    const keys: string[] = []
    for (let k = 0; k < SENDERS; k++) {
      const res = await fetch(`${worker.url}/v1/sites/${backend.id}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${backend.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'ingest' }),
      })
      keys.push(((await res.json()) as { key: string }).key)
    }
    const page = await worker.createSite([ORIGIN])
    const directPage = await direct.createSite([ORIGIN])
    // The tracker's beacon: text/plain, a browser's user agent, one of SENDERS visitors.
    const beacon = (b: number) => ({
      origin: ORIGIN,
      'content-type': 'text/plain;charset=UTF-8',
      'user-agent': BROWSER,
      'cf-connecting-ip': `198.51.100.${b % SENDERS}`,
    })
    /** A page's beacons to `w`'s site, with ids that `prefix` keeps apart from other paths'. */
    const fromPage =
      (w: typeof worker, site: { id: string; pk: string }, prefix: string) => (r: number) =>
        sendAll(
          w,
          storedIn(w, site.id),
          (r + 1) * TOTAL,
          wireBatches(now, `${prefix}${r}`, site.pk),
          beacon,
        )
    const paths: [string, (r: number) => Promise<Sent>][] = [
      [
        'minimal',
        (r) =>
          sendAll(minimal, minimal.stored, (r + 1) * TOTAL, wireBatches(now, `min${r}`), () => ({
            'content-type': 'application/json',
          })),
      ],
      ['public', fromPage(worker, page, 'pk')],
      ['direct', fromPage(direct, directPage, 'pd')],
      [
        'secret',
        (r) =>
          sendAll(
            worker,
            storedIn(worker, backend.id),
            (r + 1) * TOTAL,
            wireBatches(now, `key${r}`),
            (b) => ({
              authorization: `Bearer ${keys[b % SENDERS]}`,
              'content-type': 'application/json',
            }),
          ),
      ],
    ]
    const sent = new Map<string, Sent[]>(paths.map(([name]) => [name, []]))
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, send] of r % 2 ? [...paths].reverse() : paths) {
        const done = await send(r).catch((err: Error) => {
          throw new Error(`${name} path, round ${r + 1}: ${err.message}`)
        })
        sent.get(name)!.push(done)
      }
    }
    const [min, open, secret, queued] = ['minimal', 'public', 'secret', 'direct'].map((n) =>
      sent.get(n)!,
    )
    const medianRatio = (path: Sent[]) =>
      median(path.map((s, r) => min[r].storedMs / s.storedMs)).toFixed(2)

    const ceiling = sqliteCeiling(now)
    const rowsWritten = await d1RowsWrittenPerEvent(now)
    const perSecond = (ms: number) => (ROUNDS * TOTAL) / (ms / 1000)
    const toMinimal = (path: Sent[], k: keyof Sent) => (sum(min, k) / sum(path, k)).toFixed(2)
    return {
      'minimal Hono + D1 worker, stored (events/s)': rate(sum(min, 'storedMs')),
      'ingest key, HTTP → D1, stored (events/s)': rate(sum(secret, 'storedMs')),
      'public key, HTTP → outbox → queue → D1, stored (events/s)': rate(sum(open, 'storedMs')),
      'public key, accepted by HTTP (events/s)': rate(sum(open, 'acceptedMs')),
      'ratio to minimal, public key: stored end to end (goal ≥ 0.8)': toMinimal(open, 'storedMs'),
      'the same, median of the rounds (each round beside its own minimal run)': medianRatio(open),
      'public key, INGEST_OUTBOX=off as deployed: stored end to end (events/s)': rate(
        sum(queued, 'storedMs'),
      ),
      'ratio to minimal, public key with INGEST_OUTBOX=off: stored end to end; median': `${toMinimal(queued, 'storedMs')}; ${medianRatio(queued)}`,
      'ratio to minimal, public key: accepted': toMinimal(open, 'acceptedMs'),
      'ratio to minimal, ingest key: stored': toMinimal(secret, 'storedMs'),
      // Summed CPU of wrangler and workerd (the poll of D1 between is the bench's own).
      'CPU ms per 1,000 events stored (minimal, public key, ingest key, outbox off)': [
        min,
        open,
        secret,
        queued,
      ]
        .map((p) => Math.round(sum(p, 'cpuMs') / ((ROUNDS * TOTAL) / 1000)))
        .join(', '),
      'CPU ratio, minimal to public key (1 = as cheap as the minimal worker)': (
        sum(min, 'cpuMs') / sum(open, 'cpuMs')
      ).toFixed(2),
      'public key: stored end to end, each round (events/s)': open
        .map((s) => Math.round(TOTAL / (s.storedMs / 1000)).toLocaleString('en'))
        .join(', '),
      'minimal: stored, each round (events/s)': min
        .map((s) => Math.round(TOTAL / (s.storedMs / 1000)).toLocaleString('en'))
        .join(', '),
      'raw SQLite ceiling (events/s)': Math.round(ceiling).toLocaleString('en'),
      'ratio to ceiling, ingest key': (perSecond(sum(secret, 'storedMs')) / ceiling).toFixed(3),
      'ratio to ceiling, public key': (perSecond(sum(open, 'storedMs')) / ceiling).toFixed(3),
      'D1 rows_written per event': rowsWritten.toFixed(2),
      '429s while sending (ingest key, public key)': `${sum(secret, 'limited')}, ${sum(open, 'limited')}`,
    }
  } catch (err) {
    await new Promise((r) => setTimeout(r, 1000))
    console.error(
      worker
        .output()
        .split('\n')
        .filter((l) => !l.includes('202 Accepted'))
        .join('\n')
        .slice(-4000),
    )
    throw err
  } finally {
    await direct.stop()
    await worker.stop()
    await minimal.stop()
  }
}

function storedRows(now: number, n: number, siteId = 'bench'): EventRow[] {
  return Array.from({ length: n }, (_, i) => {
    const { props, ...e } = wireEvent(i, now)
    return {
      ...e,
      type: 'step',
      status: 'completed',
      site_id: siteId,
      received_at: now,
      device: 'desktop',
      props: JSON.stringify(props),
    }
  })
}

/** The same schema in plain SQLite, the same rows, one prepared statement in one transaction. */
function sqliteCeiling(now: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'))
  try {
    const db = new Database(join(dir, 'bench.sqlite'))
    db.pragma('journal_mode = WAL')
    for (const file of readdirSync('migrations').sort())
      db.exec(readFileSync(join('migrations', file), 'utf8'))
    const insert = db.prepare(
      `INSERT OR IGNORE INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((c) => '@' + c).join(', ')})`,
    )
    const rows = storedRows(now, TOTAL).map((r) =>
      Object.fromEntries(EVENT_COLUMNS.map((c) => [c, r[c as keyof EventRow] ?? null])),
    )
    const started = performance.now()
    db.transaction(() => rows.forEach((r) => insert.run(r)))()
    const ms = performance.now() - started
    db.close()
    return TOTAL / (ms / 1000)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** D1's own accounting of one batch insert, read from the result meta of local D1. */
async function d1RowsWrittenPerEvent(now: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-d1-'))
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }
  execFileSync(
    join('node_modules', '.bin', 'wrangler'),
    ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir],
    { env, stdio: 'pipe' },
  )
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: 'wrangler.toml',
    persist: { path: join(dir, 'v3') },
  })
  try {
    const rows = storedRows(now, 1000)
    const results = await proxy.env.DB.batch(insertEventStatements(proxy.env.DB, rows))
    return results.reduce((sum, r) => sum + (r.meta.rows_written ?? 0), 0) / rows.length
  } finally {
    await proxy.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}
