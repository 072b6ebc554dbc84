/**
 * Starts the minimal ingest (worker.ts) under `wrangler dev` on a free port with throwaway
 * state, for bench/ingest.ts to run beside Stepwise on the same machine in the same run.
 */
import Database from 'better-sqlite3'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../test/node/support/worker'

const WRANGLER = join(process.cwd(), 'node_modules', '.bin', 'wrangler')
const CONFIG = join('bench', 'minimal', 'wrangler.toml')

export type MinimalWorker = { url: string; stored: () => number; stop: () => Promise<void> }

export async function startMinimal(): Promise<MinimalWorker> {
  const state = mkdtempSync(join(tmpdir(), 'stepwise-minimal-'))
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }
  const config = ['-c', CONFIG, '--persist-to', state]
  execFileSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', ...config], {
    env,
    stdio: 'pipe',
  })
  const port = await freePort()
  const child = spawn(WRANGLER, ['dev', ...config, '--port', String(port), '--ip', '127.0.0.1'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`minimal worker did not start:\n${output}`)
    }
    const ok = await fetch(`${url}/v1/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    await new Promise((r) => setTimeout(r, 250))
  }
  let db: Database.Database | undefined
  return {
    url,
    stored: () => {
      const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject')
      const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
      db ??= new Database(join(dir, file!), { readonly: true, fileMustExist: true })
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n
    },
    stop: async () => {
      db?.close()
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(state, { recursive: true, force: true })
    },
  }
}
