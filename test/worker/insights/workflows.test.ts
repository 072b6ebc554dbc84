import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import { BASE, LINKING, getJson, run, seed, siteWith } from './seed'

/** The seven runs of the pure workflow test, stored and read back through the route. */
async function linkingSite() {
  const s = await siteWith({ workflows: [LINKING] })
  const h = 3600_000
  await seed(s.site, [
    ...run(
      'r1',
      BASE,
      [
        [0, 'start', 'started'],
        [10, 'connect', 'completed'],
        [40, 'verify', 'completed'],
        [50, 'complete', 'completed'],
      ],
      { tier: 'premium' },
    ),
    ...run(
      'r2',
      BASE + h,
      [
        [0, 'start', 'started'],
        [20, 'connect', 'completed'],
        [80, 'verify', 'failed', 'mfa_timeout'],
        [120, 'verify', 'completed'],
        [130, 'complete', 'completed'],
      ],
      { tier: 'premium' },
    ),
    ...run('r3', BASE + 2 * h, [
      [0, 'start', 'started'],
      [10, 'connect', 'completed'],
      [60, 'verify', 'failed', 'mfa_timeout'],
    ]),
    ...run('r4', BASE + 3 * h, [
      [0, 'start', 'started'],
      [30, 'connect', 'completed'],
      [90, 'verify', 'abandoned', 'closed_modal'],
    ]),
    ...run('r5', BASE + 4 * h, [
      [0, 'start', 'started'],
      [15, 'connect', 'completed'],
      [45, 'verify', 'failed', 'mfa_timeout'],
    ]),
    ...run('r6', Date.now() - 60_000, [[0, 'start', 'started']]),
    ...run('r7', BASE + 5 * h, [
      [0, 'start', 'started'],
      [20, 'connect', 'failed', 'institution_error'],
    ]),
  ])
  return s
}

describe('GET /v1/sites/:site/workflows/:name', () => {
  it('leaves the run in progress out of the completion rate', async () => {
    const { site, read } = await linkingSite()
    const { workflow } = await getJson(`/v1/sites/${site.id}/workflows/account_linking`, read)
    expect([workflow.started, workflow.completed, workflow.in_progress]).toEqual([7, 2, 1])
    expect(workflow.completion_rate).toBe(0.3333)
    expect(workflow.median_duration_s).toBe(90)
  })

  it('shows a retried step twice in the common paths', async () => {
    const { site, read } = await linkingSite()
    const { workflow } = await getJson(`/v1/sites/${site.id}/workflows/account_linking`, read)
    expect(workflow.common_paths).toContainEqual({
      path: ['start', 'connect', 'verify', 'verify', 'complete'],
      runs: 1,
      completed: 1,
      completion_rate: 1,
    })
    expect(workflow.common_paths[0]).toEqual({
      path: ['start', 'connect', 'verify'],
      runs: 3,
      completed: 0,
      completion_rate: 0,
    })
  })

  it('ranks the reasons runs dropped at a step', async () => {
    const { site, read } = await linkingSite()
    const { workflow } = await getJson(`/v1/sites/${site.id}/workflows/account_linking`, read)
    const verify = workflow.steps.find((s: { step: string }) => s.step === 'verify')
    expect(verify).toMatchObject({ reached: 5, conversion_to_next: 0.4, dropped: 3, median_s: 30 })
    expect(verify.reasons).toEqual([
      { reason: 'mfa_timeout', count: 2, share: 0.6667 },
      { reason: 'closed_modal', count: 1, share: 0.3333 },
    ])
  })

  it('filters runs by tier', async () => {
    const { site, read } = await linkingSite()
    const { workflow } = await getJson(
      `/v1/sites/${site.id}/workflows/account_linking?tier=premium`,
      read,
    )
    expect([workflow.started, workflow.completion_rate]).toEqual([2, 1])
  })

  it('answers 404 for a workflow neither configured nor seen', async () => {
    const { site, read } = await linkingSite()
    const res = await call(`/v1/sites/${site.id}/workflows/nope`, { token: read })
    expect(res.status).toBe(404)
  })
})

describe('GET /v1/sites/:site/workflows', () => {
  it('lists configured and observed workflows with their outcomes and steps', async () => {
    const { site, read } = await linkingSite()
    await seed(
      site,
      run(
        'x1',
        BASE,
        [
          [0, 'pick'],
          [5, 'pay', 'completed'],
        ],
        {},
        'checkout',
      ),
    )
    const { workflows } = await getJson(`/v1/sites/${site.id}/workflows`, read)
    expect(
      workflows.map((w: { name: string; steps_source: string; dropoff_type: string }) => [
        w.name,
        w.steps_source,
        w.dropoff_type,
      ]),
    ).toEqual([
      ['account_linking', 'config', 'integration'],
      ['checkout', 'observed', 'payment'],
    ])
    expect(workflows[1].steps.map((s: { step: string }) => s.step)).toEqual(['pick', 'pay'])
  })
})
