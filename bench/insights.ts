/**
 * Latency of every insights endpoint on generated demo data in local D1 (through
 * `wrangler dev`): p50 / p95 for 30 d and 90 d, at 100,000 and at 1,000,000 events, so the
 * growth is visible. The goal is p95 ≤ 250 ms at 1 M events. Endpoints whose answers are
 * stored (worker/db/answers.ts) are timed twice: computed every time (`refresh=1`), and as a
 * repeated question is answered. `npm run bench -- insights performance` times only the
 * endpoints whose name contains the second argument.
 */
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { getPlatformProxy } from 'wrangler'
import { usersForEvents } from '../scripts/demo/generate'
import { seedDemoSite } from '../scripts/demo/site'
import { migrate, newStateDir, startWorker } from '../test/node/support/worker'
import { summary, timeCalls } from './timing'

const SIZES = [100_000, 1_000_000]
const DAYS = 90
const RUNS = 15

const FUNNEL = {
  steps: [
    { type: 'step', workflow: 'account_linking', step: 'start' },
    { type: 'step', workflow: 'account_linking', step: 'verify' },
    { type: 'step', workflow: 'account_linking', step: 'complete' },
  ],
  window: '1d',
}

const ENDPOINTS: { name: string; path: string; body?: unknown; stored?: true }[] = [
  { name: 'dashboard', path: 'dashboard', stored: true },
  { name: 'features/value', path: 'features/value', stored: true },
  { name: 'workflows', path: 'workflows' },
  { name: 'workflows/:name', path: 'workflows/account_linking' },
  { name: 'funnel', path: 'funnel', body: FUNNEL },
  { name: 'journeys', path: 'journeys', stored: true },
  { name: 'retention', path: 'retention' },
  { name: 'dropoffs', path: 'dropoffs', stored: true },
  { name: 'opportunities', path: 'opportunities', stored: true },
  { name: 'live', path: 'live' },
  { name: 'performance', path: 'performance', stored: true },
]

export async function benchInsights(only?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const endpoints = ENDPOINTS.filter((e) => !only || e.name.includes(only))
  for (const size of SIZES) {
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
      await proxy.dispose()
      const label = `${(keys.events / 1000).toFixed(0)}k events`
      out[`${label}: load + rollups`] = `${((Date.now() - started) / 1000).toFixed(0)} s`

      const worker = await startWorker({ state })
      try {
        for (const period of ['30d', '90d']) {
          for (const e of endpoints) {
            const url = `${worker.url}/v1/sites/${keys.site_id}/${e.path}?period=${period}`
            const ms = await timeCalls(e.stored ? `${url}&refresh=1` : url, keys.read, RUNS, e.body)
            out[`${label}, ${period}: ${e.name}`] = summary(ms)
            if (e.stored)
              out[`${label}, ${period}: ${e.name} (stored)`] = summary(
                await timeCalls(url, keys.read, RUNS),
              )
          }
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
