/**
 * `npm run import` against a real `wrangler dev`: a history file streamed through
 * `POST /v1/sites/:site/import` in batches, and a run killed part-way resumed by the next one
 * with every event stored once.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type RunningWorker } from './support/worker'

const DAY = 86_400_000
let worker: RunningWorker
let dir: string

beforeAll(async () => {
  worker = await startWorker()
  dir = mkdtempSync(join(tmpdir(), 'stepwise-import-'))
})
afterAll(async () => {
  await worker?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** `valid` renewals over the last 300 days, and after them the lines `extra`. */
function historyFile(name: string, valid: number, extra: string[] = []): string {
  const now = Date.now()
  const lines = Array.from({ length: valid }, (_, i) =>
    JSON.stringify({
      id: `hist-${i}`,
      type: 'revenue',
      ts: now - DAY - Math.floor((i / valid) * 300 * DAY),
      uid: `c-${i % 400}`,
      name: 'subscription_renewed',
      tier: i % 3 ? 'plus' : 'premium',
      value: i % 3 ? 9.99 : 19.99,
      currency: 'USD',
    }),
  )
  const file = join(dir, name)
  writeFileSync(file, [...lines, ...extra].join('\n') + '\n')
  return file
}

type Run = { code: number | null; stderr: string }

/** Runs the CLI in one node process (no tsx wrapper), so a SIGKILL kills the import itself. */
function start(file: string, site: { id: string; admin: string }, batch: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/import.ts',
      file,
      '--site',
      site.id,
      '--key',
      site.admin,
      '--url',
      worker.url,
      '--batch',
      String(batch),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const done = new Promise<Run>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  )
  return { child, done }
}

const stored = (siteId: string) =>
  worker.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE site_id = ?', siteId)[0].n

describe('npm run import', () => {
  it('streams a file through the import endpoint with a progress bar, reporting bad lines', async () => {
    const site = await worker.createSite([])
    const file = historyFile('history.ndjson', 1200, [
      'this is not json',
      JSON.stringify({
        id: 'eur-1',
        type: 'revenue',
        ts: Date.now() - DAY,
        uid: 'c-1',
        name: 'one_time',
        value: 5,
        currency: 'EUR',
      }),
    ])
    const run = await start(file, site, 500).done
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/\[#{30}\] 100%/)
    expect(run.stderr).toMatch(/1,200 new events, 0 already stored, 2 rejected/)
    expect(run.stderr).toMatch(/line 1201: unreadable_line: not valid JSON/)
    expect(run.stderr).toMatch(/line 1202: currency_mismatch/)
    expect(stored(site.id)).toBe(1200)
    expect(existsSync(`${file}.import-state.json`)).toBe(false)
  })

  it('stops at a refused key, saying so, without retrying or storing anything', async () => {
    const site = await worker.createSite([])
    const file = historyFile('refused.ndjson', 10)
    const run = await start(file, { id: site.id, admin: 'sk_thisKeyWasNeverIssued000' }, 5).done
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Stopped: 401 unauthorized/)
    expect(run.stderr).toMatch(/run the same command again to resume/)
    expect(stored(site.id)).toBe(0)
  })

  it('resumes a killed run after its last acknowledged batch, storing every event once', async () => {
    const site = await worker.createSite([])
    const total = 20_000
    const file = historyFile('killed.ndjson', total)
    const stateFile = `${file}.import-state.json`
    const first = start(file, site, 250)
    const until = Date.now() + 60_000
    let line = 0
    while (line < 2000 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10))
      line = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')).line : 0
    }
    first.child.kill('SIGKILL')
    expect((await first.done).code).toBe(null)
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { line: number; accepted: number }
    expect(saved.line).toBeGreaterThanOrEqual(2000)
    expect(saved.line).toBeLessThan(total)
    expect(stored(site.id)).toBeLessThan(total)

    const second = await start(file, site, 250).done
    expect(second.code).toBe(0)
    expect(second.stderr).toContain(`Resuming after line ${saved.line.toLocaleString('en')}`)
    expect(stored(site.id)).toBe(total)
    const dup = worker.query<{ n: number }>(
      'SELECT count(*) AS n FROM (SELECT id FROM events WHERE site_id = ? GROUP BY id HAVING count(*) > 1)',
      site.id,
    )[0].n
    expect(dup).toBe(0)
    // Only a batch stored but not yet noted as acknowledged when the kill came is sent again.
    const [, fresh, again] = /([\d,]+) new events, ([\d,]+) already stored/
      .exec(second.stderr)!
      .map((s) => Number(s.replace(/,/g, '')))
    expect(fresh + again).toBe(total)
    expect(again).toBeLessThanOrEqual(250)
  })
})
