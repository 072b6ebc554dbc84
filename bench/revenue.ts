/**
 * `GET /v1/sites/:site/revenue` latency on generated demo data (a year of it, with the demo's
 * subscriptions) in local D1 through `wrangler dev`: p50 / p95 for 90 d and 365 d at 100,000 and
 * 1,000,000 events. The goal (DESIGN §11) is p95 ≤ 250 ms at 1 M events, computed every time
 * (the answer is never stored).
 */
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { getPlatformProxy } from 'wrangler'
import { usersForEvents } from '../scripts/demo/generate'
import { seedDemoSite } from '../scripts/demo/site'
import { migrate, newStateDir, startWorker } from '../test/node/support/worker'
import { summary, timeCalls } from './timing'

const SIZES = [100_000, 1_000_000]
const DAYS = 365
const RUNS = 15

export async function benchRevenue(only?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const sizes = SIZES.filter((s) => !only || String(s / 1000).startsWith(only))
  for (const size of sizes) {
    const state = newStateDir()
    try {
      migrate(state)
      const started = Date.now()
      const proxy = await getPlatformProxy<{ DB: D1Database }>({
        configPath: 'wrangler.toml',
        persist: { path: join(state, 'v3') },
      })
      const keys = await seedDemoSite(proxy.env.DB, {
        siteId: 'bench-bank',
        users: usersForEvents(size, DAYS),
        days: DAYS,
      })
      const rows = await proxy.env.DB.prepare(
        'SELECT count(*) AS n FROM rollup_revenue_days WHERE site_id = ?1',
      )
        .bind(keys.site_id)
        .first<{ n: number }>()
      await proxy.dispose()
      const label = `${(keys.events / 1000).toFixed(0)}k events`
      out[`${label}: load + rollups`] =
        `${((Date.now() - started) / 1000).toFixed(0)} s, ${rows!.n} revenue rollup rows`
      const worker = await startWorker({ state })
      try {
        for (const period of ['90d', '365d']) {
          const url = `${worker.url}/v1/sites/${keys.site_id}/revenue?period=${period}`
          out[`${label}, ${period}: revenue`] = summary(await timeCalls(url, keys.read, RUNS))
          const filtered = `${url}&feature=investment_tracking`
          out[`${label}, ${period}: revenue, feature filter`] = summary(
            await timeCalls(filtered, keys.read, RUNS),
          )
        }
      } finally {
        await worker.stop()
      }
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  }
  return out
}
