/**
 * Times loadDemo against a throwaway local D1, the way `npm start` uses it:
 * `tsx scripts/demo/measure-load.ts [users] [days]`.
 *
 * Note the paths: `wrangler d1 … --persist-to DIR` keeps D1 under DIR/v3, and getPlatformProxy's
 * `persist.path` means that v3 directory, so the two meet at `{ path: join(DIR, 'v3') }`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import { loadDemo } from './load'

const users = Number(process.argv[2] ?? 2400)
const days = Number(process.argv[3] ?? 30)
const dir = mkdtempSync(join(tmpdir(), 'stepwise-demo-'))
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const wrangler = join('node_modules', '.bin', 'wrangler')
execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], {
  env,
  stdio: 'pipe',
})
process.env.WRANGLER_SEND_METRICS = 'false'
const proxy = await getPlatformProxy<{ DB: D1Database }>({ persist: { path: join(dir, 'v3') } })
try {
  const db = proxy.env.DB
  await db
    .prepare('INSERT INTO sites (id, name, public_key, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind('demo', 'Demo Bank', 'pk_demo', Date.now())
    .run()
  const started = performance.now()
  const { events } = await loadDemo(db, { siteId: 'demo', users, days })
  const seconds = (performance.now() - started) / 1000
  const stored = await db.prepare('SELECT count(*) AS n FROM events').first<{ n: number }>()
  console.log(
    `${events} events (${stored?.n} stored) for ${users} users over ${days} days ` +
      `in ${seconds.toFixed(1)} s: ${Math.round(events / seconds)} events/s`,
  )
} finally {
  await proxy.dispose()
  rmSync(dir, { recursive: true, force: true })
}
