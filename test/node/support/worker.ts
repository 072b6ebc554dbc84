/**
 * A real Stepwise for browser and end-to-end tests: `wrangler dev` on a free port with its own
 * throwaway state, migrations applied, one site created through the admin API. What landed
 * is read straight from the local D1 file with better-sqlite3 (read-only).
 */
import Database from 'better-sqlite3'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { d1Bindings } from '../../../scripts/apply-migrations'

export const ADMIN_TOKEN = 'e2e-admin-token'
const WRANGLER = join(process.cwd(), 'node_modules', '.bin', 'wrangler')

export type RunningWorker = {
  url: string
  stop: () => Promise<void>
  /** SIGKILLs wrangler and workerd at once, as a crash would (needs `group: true`). */
  crash: () => Promise<void>
  /** Everything wrangler dev printed so far, for diagnosing a failure. */
  output: () => string
  /** Runs a read-only query against the Worker's local D1. */
  query: <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => T[]
  createSite: (allowedOrigins: string[]) => Promise<{ id: string; pk: string; admin: string }>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

/**
 * `state`: a --persist-to folder to use (and keep); by default a fresh one, removed on stop.
 * `vars`: more Worker variables (e.g. DEV_ALLOW_LOCAL_WEBHOOKS).
 * `group`: run wrangler in its own process group, so `crash()` can kill it with its workerd.
 */
export async function startWorker({
  state,
  vars = {},
  group = false,
}: {
  state?: string
  vars?: Record<string, string>
  group?: boolean
} = {}): Promise<RunningWorker> {
  const keep = Boolean(state)
  state ??= newStateDir()
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }
  migrate(state)
  const port = await freePort()
  const child = spawn(
    WRANGLER,
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      state,
      '--var',
      `ADMIN_TOKEN:${ADMIN_TOKEN}`,
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
      '--show-interactive-dev-session=false',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: group },
  )
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  await waitForReady(url, child, () => output)

  let db: Database.Database | undefined
  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    db ??= new Database(findD1File(state), { readonly: true, fileMustExist: true })
    return db.prepare(sql).all(...params) as T[]
  }
  return {
    url,
    query,
    output: () => output,
    stop: async () => {
      db?.close()
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      if (!keep) rmSync(state, { recursive: true, force: true })
    },
    crash: async () => {
      db?.close()
      db = undefined
      const exited = new Promise((r) => child.once('exit', r))
      process.kill(-child.pid!, 'SIGKILL')
      await exited
    },
    createSite: async (allowedOrigins) => {
      const res = await fetch(`${url}/v1/admin/sites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'E2E bank', allowed_origins: allowedOrigins }),
      })
      if (res.status !== 201) throw new Error(`createSite: ${res.status} ${await res.text()}`)
      const body = (await res.json()) as {
        site: { id: string }
        public_key: string
        admin_key: { key: string }
      }
      return { id: body.site.id, pk: body.public_key, admin: body.admin_key.key }
    },
  }
}

export function newStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'stepwise-e2e-'))
}

/**
 * Applies the migrations to a --persist-to folder, as `npm start` does to .wrangler/state: to
 * every shard (DB, DB_2, …), since cron's jobs and the outbox drain visit each.
 */
export function migrate(state: string): void {
  for (const binding of d1Bindings()) {
    execFileSync(
      WRANGLER,
      ['d1', 'migrations', 'apply', binding, '--local', '--persist-to', state],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, stdio: 'pipe' },
    )
  }
}

async function waitForReady(url: string, child: ChildProcess, output: () => string) {
  const until = Date.now() + 90_000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output()}`)
    try {
      const res = await fetch(`${url}/v1/health`)
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`wrangler dev did not start:\n${output()}`)
}

/**
 * The default shard's file. Each shard (DB, DB_2) has one, named by a hash; the tests' sites
 * are all in DB (none is named in SITE_SHARDS), so it is the one with the most sites.
 */
function findD1File(state: string): string {
  const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
    .map((f) => join(dir, f))
  if (!files.length) throw new Error(`no D1 database under ${dir}`)
  const sites = (file: string) => {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      return (db.prepare('SELECT count(*) AS n FROM sites').get() as { n: number }).n
    } catch {
      return -1 // not migrated
    } finally {
      db.close()
    }
  }
  const counts = files.map(sites)
  return files[counts.indexOf(Math.max(...counts))]!
}

/** Polls `read` until `done(value)` holds or the time runs out; returns the last value. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms
  let value = await read()
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}
