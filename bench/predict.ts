/**
 * The churn model (DESIGN §7.10) on generated demo data (30 days of the app, six months of
 * subscriptions) at 10,000 and 100,000 users in local D1: how long seeding took (the events
 * written straight to the D1 file, the rollups built through the platform proxy: bench/seed.ts
 * `direct`), the first cron run in `wrangler dev` (`POST /v1/admin/jobs/run`), which trains the
 * site's model, then p50 / p95 of the model card, `/users/at-risk` and `/users/:uid/insights`
 * (a different user each call); last the same training in Node through wrangler's platform
 * proxy, for its CPU time and the statements it ran, counted at the binding (the cron gives it
 * 60 of D1's 1,000 an invocation). `npm run bench -- predict 100` runs only 100k users.
 */
import { rmSync } from 'node:fs'
import { trainChurnModel } from '../worker/predict/train'
import { ADMIN_TOKEN, startWorker } from '../test/node/support/worker'
import { counting } from '../test/worker/counting-db'
import { localDb, seedBenchSite } from './seed'
import { summary, timeCalls } from './timing'

const SIZES = [10_000, 100_000]
/** The cron's share of an invocation's queries for training (worker/scheduled.ts). */
const PREDICT_QUERIES = 60
const RUNS = 15

export async function benchPredict(only?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const users of SIZES.filter((s) => !only || String(s / 1000) === only)) {
    const label = `${users / 1000}k users`
    const { state, keys, seconds } = await seedBenchSite({ users }, { direct: true })
    try {
      out[`${label}: seed (load + rollups)`] =
        `${keys.events.toLocaleString('en')} events in ${seconds.toFixed(0)} s`
      console.error(`${label}: seeded in ${seconds.toFixed(0)} s`)

      const worker = await startWorker({ state })
      try {
        // No model yet and no dirty day: the first cron run trains this site.
        const t = performance.now()
        const res = await fetch(`${worker.url}/v1/admin/jobs/run`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        const jobs = (await res.json()) as { churn_model: { status: string } | null }
        console.error(`${label}: cron run ${res.status}`, JSON.stringify(jobs))
        out[`${label}: cron run with training, wrangler dev`] =
          `${((performance.now() - t) / 1000).toFixed(1)} s, model ${jobs.churn_model?.status ?? 'not due'}`

        const base = `${worker.url}/v1/sites/${keys.site_id}`
        const card = await get<{ status: string; auc: number | null; n: number }>(
          `${base}/models/churn`,
          keys.read,
        )
        out[`${label}: model card`] =
          `${card.status}, n ${card.n}, holdout AUC ${card.auc?.toFixed(3) ?? '—'}; ` +
          summary(await timeCalls(() => `${base}/models/churn`, keys.read, RUNS))
        out[`${label}: users/at-risk`] = summary(
          await timeCalls(() => `${base}/users/at-risk`, keys.read, RUNS),
        )
        out[`${label}: users/at-risk?tier=plus&risk=high`] = summary(
          await timeCalls(() => `${base}/users/at-risk?tier=plus&risk=high`, keys.read, RUNS),
        )
        const page = await get<{ users: { uid: string }[] }>(
          `${base}/users/at-risk?limit=${RUNS + 1}`,
          keys.read,
        )
        let i = 0
        out[`${label}: users/:uid/insights`] = summary(
          await timeCalls(
            () => `${base}/users/${page.users[i++ % page.users.length].uid}/insights`,
            keys.read,
            RUNS,
          ),
        )
      } catch (err) {
        console.error(worker.output().slice(-4000))
        throw err
      } finally {
        await worker.stop()
      }

      // The same training again in Node, to count its statements at the binding.
      const proxy = await localDb(state)
      try {
        const { db: counted, counter } = counting(proxy.env.DB)
        const budget = { left: PREDICT_QUERIES }
        const cpu = process.cpuUsage()
        const t = performance.now()
        const result = await trainChurnModel(counted, keys.site_id, Date.now(), budget)
        const wall = performance.now() - t
        const { user, system } = process.cpuUsage(cpu)
        out[`${label}: training in Node (platform proxy)`] =
          `${(wall / 1000).toFixed(1)} s wall, ${((user + system) / 1e6).toFixed(1)} s CPU, ` +
          `${result.status}, ${result.scored.toLocaleString('en')} users scored`
        out[`${label}: training queries`] =
          `${counter.queries} statements (its budget counted ${PREDICT_QUERIES - budget.left} of ${PREDICT_QUERIES})`
      } finally {
        await proxy.dispose()
      }
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  }
  return out
}

async function get<T>(url: string, key: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } })
  if (!res.ok) throw new Error(`${url} answered ${res.status}`)
  return (await res.json()) as T
}
