import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insertEventStatements } from '../../../worker/db/events'
import { workflowRuns } from '../../../worker/db/insights/workflow-runs'
import { markDirtyStatement } from '../../../worker/db/rollup-dirty'
import { rebuildDay } from '../../../worker/rollups'
import { eraseUserFromRollups } from '../../../worker/rollups/insights'
import { DAY, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

/** Midnight (UTC) nine days ago: runs either side of it fall on two days. */
const MIDNIGHT = Math.floor(Date.now() / DAY) * DAY - 9 * DAY
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

async function storedRuns(siteId: string) {
  const { results } = await env.DB.prepare(
    `SELECT day, workflow, run, uid, tier, started_at, last_at, features, trail
     FROM workflow_runs WHERE site_id = ?1 ORDER BY run`,
  )
    .bind(siteId)
    .all<{ day: string; run: string; trail: string }>()
  return results
}

let seq = 0
/** Events stored without rebuilding any rollup, as the consumer leaves them for cron. */
async function storeOnly(siteId: string, events: (Ev & { id?: string })[]) {
  const rows = events.map((e) => ({ site_id: siteId, id: `w${++seq}`, received_at: e.ts, ...e }))
  await env.DB.batch([
    ...insertEventStatements(env.DB, rows),
    ...rows.map((r) => markDirtyStatement(env.DB, siteId, dayOf(r.ts))),
  ])
}

describe('workflow_runs rollup', () => {
  it('files a run that spans midnight under the day it started, with all its events', async () => {
    const { site } = await siteWith({ workflows: [LINKING] })
    await seed(site, [
      ...run('late', MIDNIGHT - 300_000, [
        [0, 'start', 'started'],
        [200, 'connect', 'completed'],
        [400, 'verify', 'completed'],
        [500, 'complete', 'completed'],
      ]),
      ...run('early', MIDNIGHT + 3600_000, [[0, 'start', 'started']]),
    ])
    const rows = await storedRuns(site.id)
    expect(rows.map((r) => [r.run, r.day])).toEqual([
      ['early', dayOf(MIDNIGHT)],
      ['late', dayOf(MIDNIGHT - 1)],
    ])
    expect(JSON.parse(rows[1].trail)).toHaveLength(4)
  })

  it('gives the same rows when a day is rebuilt again', async () => {
    const { site } = await siteWith({ workflows: [LINKING] })
    await seed(site, [
      ...run('a', MIDNIGHT + 600_000, [
        [0, 'start', 'started'],
        [30, 'connect', 'failed', 'institution_error'],
      ]),
      ...run('b', MIDNIGHT - 60_000, [
        [0, 'start', 'started'],
        [120, 'connect', 'completed'],
      ]),
    ])
    const before = await storedRuns(site.id)
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT))
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT - 1))
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT))
    expect(await storedRuns(site.id)).toEqual(before)
    expect(before).toHaveLength(2)
  })

  it('counts a replayed batch once', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    const events = run('r', MIDNIGHT + 7200_000, [
      [0, 'start', 'started'],
      [10, 'connect', 'completed'],
    ]).map((e, i) => ({ ...e, id: `replayed-${i}` }))
    await storeOnly(site.id, events)
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT))
    await storeOnly(site.id, events) // INSERT OR IGNORE on (site, id) keeps one copy
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT))
    const rows = await storedRuns(site.id)
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0].trail)).toHaveLength(2)
    const { workflow } = await getJson(`/v1/sites/${site.id}/workflows/account_linking`, read)
    expect(workflow.started).toBe(1)
  })

  it('moves a run to the day before when a late event shows it started there', async () => {
    const { site } = await siteWith({ workflows: [LINKING] })
    await seed(site, run('m', MIDNIGHT + 60_000, [[0, 'connect', 'completed']]))
    expect((await storedRuns(site.id)).map((r) => r.day)).toEqual([dayOf(MIDNIGHT)])
    await storeOnly(site.id, run('m', MIDNIGHT - 60_000, [[0, 'start', 'started']]))
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT - 1))
    expect((await storedRuns(site.id)).map((r) => r.day)).toEqual([dayOf(MIDNIGHT - 1)])
  })

  it('keeps, under a feature filter, the runs whose events name the feature', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, [
      ...run('named', MIDNIGHT + 3600_000, [[0, 'start', 'started']], { feature: 'budgeting' }),
      ...run('plain', MIDNIGHT + 7200_000, [[0, 'start', 'started']]),
    ])
    const { workflow } = await getJson(
      `/v1/sites/${site.id}/workflows/account_linking?feature=budgeting`,
      read,
    )
    expect(workflow.started).toBe(1)
  })

  it("goes with an erased user's other rows", async () => {
    const { site } = await siteWith({ workflows: [LINKING] })
    await seed(site, [
      ...run('gone', MIDNIGHT + 3600_000, [[0, 'start', 'started']]),
      ...run('kept', MIDNIGHT + 7200_000, [[0, 'start', 'started']]),
    ])
    await env.DB.batch(eraseUserFromRollups(env.DB, site.id, 'u-gone'))
    expect((await storedRuns(site.id)).map((r) => r.run)).toEqual(['kept'])
  })

  it('reads the days still waiting for cron from raw events, with the same runs', async () => {
    const { site } = await siteWith({ workflows: [LINKING] })
    await seed(site, run('x', MIDNIGHT - 3 * DAY, [[0, 'start', 'started']]))
    await storeOnly(site.id, [
      ...run('y', MIDNIGHT - 60_000, [[0, 'start', 'started']]),
      ...run('y', MIDNIGHT + 60_000, [[0, 'connect', 'completed']]),
    ])
    const q = {
      siteId: site.id,
      from: MIDNIGHT - 5 * DAY,
      to: MIDNIGHT + DAY,
      lookbackMs: 1800_000,
    }
    const pending = await workflowRuns(env.DB, q)
    expect(pending.rows.map((r) => r.run)).toEqual(['x', 'y'])
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT))
    await rebuildDay(env.DB, site.id, dayOf(MIDNIGHT - 1))
    const rolled = await workflowRuns(env.DB, q)
    const sorted = (rows: typeof rolled.rows) =>
      rows.map((r) => ({ ...r, trail: JSON.parse(r.trail).sort() }))
    expect(sorted(rolled.rows)).toEqual(sorted(pending.rows))
  })
})
