/**
 * `GET /v1/sites/:site/forecast` latency on generated demo data in local D1 through
 * `wrangler dev` — a year of subscriptions (the revenue history it fits) and 90 days of the
 * app (the institutions' trends) — at 100,000 and 1,000,000 events: p50 / p95 computed every
 * time (`refresh=1`) and as a repeated question (the answer is stored), and for one
 * institution. The goal (DESIGN §11) is p95 ≤ 250 ms at 1 M events.
 * `npm run bench -- forecast 1000` runs only 1 M events.
 */
import { rmSync } from 'node:fs'
import { usersForEvents } from '../scripts/demo/generate'
import { startWorker } from '../test/node/support/worker'
import { seedBenchSite } from './seed'
import { summary, timeCalls } from './timing'

const SIZES = [100_000, 1_000_000]
const DAYS = 90
const HISTORY_DAYS = 365
const RUNS = 15

export async function benchForecast(only?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const size of SIZES.filter((s) => !only || String(s / 1000) === only)) {
    const { state, keys, seconds } = await seedBenchSite({
      users: usersForEvents(size, DAYS),
      days: DAYS,
      historyDays: HISTORY_DAYS,
    })
    try {
      const label = `${(keys.events / 1000).toFixed(0)}k events`
      out[`${label}: seed (load + rollups)`] = `${seconds.toFixed(0)} s`
      const worker = await startWorker({ state })
      try {
        const url = `${worker.url}/v1/sites/${keys.site_id}/forecast`
        out[`${label}: forecast, computed`] = summary(
          await timeCalls(() => `${url}?refresh=1`, keys.read, RUNS),
        )
        out[`${label}: forecast, stored`] = summary(await timeCalls(() => url, keys.read, RUNS))
        out[`${label}: forecast, one institution, computed`] = summary(
          await timeCalls(() => `${url}?institution=harbor_national&refresh=1`, keys.read, RUNS),
        )
      } finally {
        await worker.stop()
      }
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  }
  return out
}
