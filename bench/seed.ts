/**
 * A benchmark's site: a fresh local D1 state with the migrations applied and the demo bank
 * seeded (scripts/demo: the site, its keys and config, the events, then every rollup day),
 * timed. The caller starts `wrangler dev` on `state` and removes it when done.
 *
 * `direct`: the events go straight into the D1 file through better-sqlite3 — the same loader
 * and statements (scripts/demo/load.ts), run in one transaction per batch — and only the rollup
 * rebuild goes through wrangler's platform proxy. For millions of events: through the proxy
 * every prepare() and bind() is a synchronous round trip, and over ~10 M of them miniflare's
 * synchronous fetch once failed an internal assertion and ended the run.
 */
import Database from 'better-sqlite3'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import type { DemoOptions } from '../scripts/demo/generate'
import { loadDemo } from '../scripts/demo/load'
import { seedDemoSite } from '../scripts/demo/site'
import { migrate, newStateDir } from '../test/node/support/worker'
import { rebuildDirtyDays } from '../worker/rollups'

const SITE_ID = 'bench-bank'

export function localDb(state: string) {
  return getPlatformProxy<{ DB: D1Database }>({
    configPath: 'wrangler.toml',
    persist: { path: join(state, 'v3') },
  })
}

export async function seedBenchSite(opts: Omit<DemoOptions, 'siteId'>, { direct = false } = {}) {
  const state = newStateDir()
  try {
    migrate(state)
    const started = Date.now()
    let proxy = await localDb(state)
    let keys: Awaited<ReturnType<typeof seedDemoSite>>
    try {
      if (!direct) {
        keys = await seedDemoSite(proxy.env.DB, { ...opts, siteId: SITE_ID })
      } else {
        // The site, its keys and config with no users; then the events, then the rollups.
        keys = await seedDemoSite(proxy.env.DB, { siteId: SITE_ID, users: 0 })
        await proxy.dispose()
        const file = new Database(d1File(state))
        try {
          keys.events = (await loadDemo(sqliteAsD1(file), { ...opts, siteId: SITE_ID })).events
        } finally {
          file.close()
        }
        proxy = await localDb(state)
        while ((await rebuildDirtyDays(proxy.env.DB, { left: Infinity })).length > 0);
      }
    } finally {
      await proxy.dispose()
    }
    return { state, keys, seconds: (Date.now() - started) / 1000 }
  } catch (err) {
    rmSync(state, { recursive: true, force: true })
    throw err
  }
}

function d1File(state: string): string {
  const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  if (!file) throw new Error(`no D1 database under ${dir}`)
  return join(dir, file)
}

type Bound = { sql: string; params: Record<string, unknown> }

/**
 * Just enough of D1 for loadDemo: prepare → bind → run, and batch as one transaction.
 * better-sqlite3 takes no `?N` parameters, so they become `@pN`.
 */
function sqliteAsD1(file: Database.Database): D1Database {
  const statements = new Map<string, Database.Statement>()
  const exec = ({ sql, params }: Bound) => {
    let s = statements.get(sql)
    if (!s) statements.set(sql, (s = file.prepare(sql.replace(/\?(\d+)/g, '@p$1'))))
    s.run(params)
  }
  const batch = file.transaction((list: Bound[]) => list.forEach(exec))
  const prepare = (sql: string) => ({
    bind: (...args: unknown[]) => {
      const bound: Bound = {
        sql,
        params: Object.fromEntries(args.map((a, i) => [`p${i + 1}`, a])),
      }
      return { ...bound, run: async () => exec(bound) }
    },
  })
  return {
    prepare,
    batch: async (list: Bound[]) => batch(list),
  } as unknown as D1Database
}
