/**
 * Latency of every insights endpoint on generated demo data in local D1 (through
 * `wrangler dev`): p50 / p95 for 30 d and 90 d at 100 k, 1 M and 10 M events, so the growth is
 * visible. The goal is p95 ≤ 250 ms at 1 M events, computed. Endpoints whose answers are stored
 * (worker/db/answers.ts) are timed twice: computed every time (`refresh=1`), and as a repeated
 * question is answered. `npm run bench -- insights performance` times only the endpoints whose
 * name contains the second argument; BENCH_INSIGHTS_EVENTS=100000,1000000 leaves out 10 M
 * (whose load takes minutes: a progress line shows it on stderr).
 */
import { rmSync } from 'node:fs'
import { usersForEvents } from '../scripts/demo/generate'
import { startWorker } from '../test/node/support/worker'
import { seedBenchSite, type Progress } from './seed'
import { percentile, timeCalls } from './timing'

const SIZES = (process.env.BENCH_INSIGHTS_EVENTS ?? '100000,1000000,10000000')
  .split(',')
  .map(Number)
const DAYS = 90
/** Calls per endpoint; fewer at 10 M, where a slow answer takes seconds. */
const runsAt = (events: number) => (events > 2_000_000 ? 5 : 15)
const GOAL_EVENTS = 1_000_000
const GOAL_P95_MS = 250

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
  { name: 'revenue', path: 'revenue' },
  { name: 'revenue/recommendations', path: 'revenue/recommendations', stored: true },
]

export async function benchInsights(only?: string): Promise<Record<string, string>> {
  const endpoints = ENDPOINTS.filter((e) => !only || e.name.includes(only))
  const loads: Record<string, string> = {}
  /** metric → one "p50 / p95" per size, in SIZES order. */
  const growth = new Map<string, string[]>()
  const computedAtGoal: { metric: string; p95: number }[] = []
  const record = (metric: string, ms: number[], events: number) => {
    growth.set(metric, [
      ...(growth.get(metric) ?? []),
      `${percentile(ms, 0.5)} / ${percentile(ms, 0.95)}`,
    ])
    if (events === GOAL_EVENTS && !metric.endsWith('stored'))
      computedAtGoal.push({ metric, p95: percentile(ms, 0.95) })
  }
  for (const size of SIZES) {
    const { state, keys, seconds } = await seedBenchSite(
      { users: usersForEvents(size, DAYS), days: DAYS },
      { direct: true, progress: progressLine(label(size)) },
    )
    try {
      loads[`${label(keys.events)} events: load + rollups`] = `${seconds.toFixed(0)} s`
      const worker = await startWorker({ state })
      try {
        for (const period of ['30d', '90d']) {
          for (const e of endpoints) {
            const url = `${worker.url}/v1/sites/${keys.site_id}/${e.path}?period=${period}`
            const runs = runsAt(size)
            const computed = await timeCalls(
              e.stored ? `${url}&refresh=1` : url,
              keys.read,
              runs,
              e.body,
            )
            record(`${period}: ${e.name}${e.stored ? ', computed' : ''}`, computed, size)
            if (e.stored)
              record(`${period}: ${e.name}, stored`, await timeCalls(url, keys.read, runs), size)
          }
        }
      } finally {
        await worker.stop()
      }
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  }
  const header = `p50 / p95 ms at ${SIZES.map(label).join(' → ')}`
  const out: Record<string, string> = { ...loads, endpoint: header }
  for (const [metric, cells] of growth) out[metric] = cells.join(' → ')
  if (computedAtGoal.length) {
    const worst = computedAtGoal.reduce((a, b) => (b.p95 > a.p95 ? b : a))
    const over = computedAtGoal.filter((c) => c.p95 > GOAL_P95_MS).length
    out[`computed p95 ≤ ${GOAL_P95_MS} ms at ${label(GOAL_EVENTS)}`] =
      `${computedAtGoal.length - over} of ${computedAtGoal.length}; worst ${worst.metric} ${worst.p95} ms`
  }
  return out
}

function label(events: number): string {
  return events >= 1e6
    ? `${(events / 1e6).toFixed(events % 1e6 ? 2 : 0)}M`
    : `${Math.round(events / 1e3)}k`
}

/** A line on stderr that redraws itself on a terminal; otherwise a line each tenth or million. */
function progressLine(name: string): Progress {
  const started = Date.now()
  let last = ''
  return (phase, done, total) => {
    const secs = ((Date.now() - started) / 1000).toFixed(0)
    const bar = total ? `[${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}] ` : ''
    const count = `${done.toLocaleString('en')}${total ? ` of ${total}` : ''}`
    const line = `${name}: ${bar}${count} ${phase}, ${secs} s`
    const mark = `${phase} ${total ? Math.floor((10 * done) / total) : Math.floor(done / 1e6)}`
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K${done === total ? '\n' : ''}`)
    else if (mark !== last) process.stderr.write(`${line}\n`)
    last = mark
  }
}
