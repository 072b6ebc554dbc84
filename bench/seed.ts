/**
 * A benchmark's site: a fresh local D1 state with the migrations applied and the demo bank
 * seeded (scripts/demo: the site, its keys and config, the events, then every rollup day),
 * timed. The caller starts `wrangler dev` on `state` and removes it when done.
 *
 * `direct`: the events go straight into the D1 file through better-sqlite3 — the same loader
 * and statements (scripts/demo/load.ts), run in one transaction per batch — and so do the
 * rollup rebuilds (worker/rollups' statements). For millions of events: through wrangler's
 * platform proxy every prepare() and bind() is a synchronous round trip, and miniflare's
 * synchronous fetch fails an internal assertion now and then (seen at 10 M calls and, on a
 * busy machine, in a 20 k-event rebuild), which ends the run.
 */
import Database from 'better-sqlite3'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import type { DemoOptions } from '../scripts/demo/generate'
import { loadDemo } from '../scripts/demo/load'
import { seedDemoSite } from '../scripts/demo/site'
import { migrate, newStateDir } from '../test/node/support/worker'
import { rebuildDirtyDays, rebuildStatements } from '../worker/rollups'

const SITE_ID = 'bench-bank'

export function localDb(state: string) {
  return getPlatformProxy<{ DB: D1Database }>({
    configPath: 'wrangler.toml',
    persist: { path: join(state, 'v3') },
  })
}

/** A progress line on stderr: events written, then rollup days built (the 10 M bench takes minutes). */
export type Progress = (phase: 'events' | 'rollup days', done: number, total?: number) => void

export async function seedBenchSite(
  opts: Omit<DemoOptions, 'siteId'>,
  { direct = false, progress }: { direct?: boolean; progress?: Progress } = {},
) {
  const state = newStateDir()
  try {
    migrate(state)
    const started = Date.now()
    const proxy = await localDb(state)
    let keys: Awaited<ReturnType<typeof seedDemoSite>>
    try {
      // Direct: the site, its keys and config, with no users and no history to roll up yet.
      const empty = { users: 0, days: 1, historyDays: 1 }
      keys = await seedDemoSite(proxy.env.DB, { ...opts, siteId: SITE_ID, ...(direct && empty) })
    } finally {
      await proxy.dispose()
    }
    if (direct) {
      // Now the events, then the rollups.
      const file = new Database(d1File(state))
      try {
        const db = sqliteAsD1(file)
        const onProgress = progress && ((n: number) => progress('events', n))
        keys.events = (await loadDemo(db, { ...opts, siteId: SITE_ID, onProgress })).events
        // A few days a call, so the progress line moves (a 10 M day takes seconds to build).
        const days = (await db.prepare(DIRTY_DAYS).bind().all<{ n: number }>()).results[0].n
        const fewDays = 4 * rebuildStatements(db, SITE_ID, '1970-01-01').length + 1
        let built = 0
        for (let n; (n = (await rebuildDirtyDays(db, { left: fewDays })).length);)
          progress?.('rollup days', (built += n), days)
      } finally {
        file.close()
      }
    }
    return { state, keys, seconds: (Date.now() - started) / 1000 }
  } catch (err) {
    rmSync(state, { recursive: true, force: true })
    throw err
  }
}

const DIRTY_DAYS = 'SELECT count(*) AS n FROM rollup_dirty'

/** The D1 file that holds the site (wrangler.toml binds more than one database: shards). */
function d1File(state: string): string {
  const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  const holdsSite = (f: string) => {
    const db = new Database(join(dir, f), { readonly: true })
    try {
      return db.prepare('SELECT 1 FROM sites WHERE id = ?').get(SITE_ID) !== undefined
    } finally {
      db.close()
    }
  }
  const file = files.find(holdsSite)
  if (!file) throw new Error(`no D1 database under ${dir} holds ${SITE_ID}`)
  return join(dir, file)
}

type Bound = { sql: string; params: Record<string, unknown> }

/**
 * Just enough of D1 for loadDemo: prepare → bind → run, and batch as one transaction.
 * better-sqlite3 takes no `?N` parameters, so they become `@pN`.
 */
function sqliteAsD1(file: Database.Database): D1Database {
  const statements = new Map<string, Database.Statement>()
  const statement = (sql: string) => {
    let s = statements.get(sql)
    if (!s) statements.set(sql, (s = file.prepare(sql.replace(/\?(\d+)/g, '@p$1'))))
    return s
  }
  const exec = ({ sql, params }: Bound) => statement(sql).run(params)
  const batch = file.transaction((list: Bound[]) => list.forEach(exec))
  const prepare = (sql: string) => ({
    bind: (...args: unknown[]) => {
      const bound: Bound = {
        sql,
        params: Object.fromEntries(args.map((a, i) => [`p${i + 1}`, a])),
      }
      return {
        ...bound,
        run: async () => exec(bound),
        all: async () => ({ results: statement(sql).all(bound.params) }),
      }
    },
  })
  return {
    prepare,
    batch: async (list: Bound[]) => batch(list),
  } as unknown as D1Database
}
