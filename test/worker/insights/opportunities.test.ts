import { describe, expect, it } from 'vitest'
import { BASE, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

const H = 3600_000
const BUDGET = {
  name: 'budget_setup',
  steps: ['start', 'categories', 'limits', 'complete'],
  conversion_window_s: 1800,
}

/**
 * One planted problem among ordinary ones. account_linking, 40 plus users: 2 fail at connect
 * (invalid_credentials), 16 of the 38 who reach verify leave there — 13 with mfa_timeout, 3
 * closing the modal — and 22 complete. budget_setup, 20 users: 1 abandons at limits. Bank
 * connections: harbor_bank 30 of 30, slow_bank 20 of 25 (80%, below the 90% critical line).
 */
function events(): Ev[] {
  const out: Ev[] = []
  for (let i = 0; i < 40; i++) {
    const t = BASE + i * H
    const steps: [number, string, string?, string?][] = [[0, 'start', 'started']]
    if (i < 2) steps.push([10, 'connect', 'failed', 'invalid_credentials'])
    else {
      steps.push([10, 'connect', 'completed'])
      if (i < 15) steps.push([40, 'verify', 'failed', 'mfa_timeout'])
      else if (i < 18) steps.push([40, 'verify', 'abandoned', 'closed_modal'])
      else steps.push([40, 'verify', 'completed'], [45, 'complete', 'completed'])
    }
    out.push(...run(`l${i}`, t, steps, { tier: 'plus' }))
  }
  for (let i = 0; i < 20; i++) {
    const steps: [number, string, string?, string?][] = [
      [0, 'start', 'started'],
      [20, 'categories', 'completed'],
    ]
    if (i === 0) steps.push([50, 'limits', 'abandoned', 'too_many_fields'])
    else steps.push([50, 'limits', 'completed'], [60, 'complete', 'completed'])
    out.push(...run(`b${i}`, BASE + i * H, steps, { tier: 'plus' }, 'budget_setup'))
  }
  const connection = (i: number, institution: string, ok: boolean): Ev => ({
    type: 'connection',
    ts: BASE + i * 600_000,
    uid: `c-${institution}-${i}`,
    tier: 'plus',
    institution,
    status: ok ? 'completed' : 'failed',
    value: 800,
  })
  for (let i = 0; i < 30; i++) out.push(connection(i, 'harbor_bank', true))
  for (let i = 0; i < 25; i++) out.push(connection(i, 'slow_bank', i >= 5))
  return out
}

/**
 * bill_pay, 10 plus users, 14 outcomes (too few for low_success): p0–p5 complete; p6 fails
 * (sync_failed) then completes; p7 fails three times (sync_failed), then abandons (closed_modal)
 * the next day; p8 abandons (closed_modal); p9 fails (timeout). Failed uses: sync_failed 4,
 * closed_modal 2, timeout 1; dropped users: closed_modal 2 (p7, p8), timeout 1 (p9).
 */
function billPay(): Ev[] {
  const use = (i: number, at: number, status: string, reason?: string): Ev => ({
    type: 'feature',
    ts: BASE + at,
    uid: `p${i}`,
    tier: 'plus',
    feature: 'bill_pay',
    status: status as Ev['status'],
    ...(reason ? { reason } : {}),
  })
  return [
    ...[0, 1, 2, 3, 4, 5].map((i) => use(i, i * H, 'completed')),
    use(6, 0, 'failed', 'sync_failed'),
    use(6, H, 'completed'),
    ...[0, 1, 2].map((k) => use(7, k * 60_000, 'failed', 'sync_failed')),
    use(7, 24 * H, 'abandoned', 'closed_modal'),
    use(8, 2 * H, 'abandoned', 'closed_modal'),
    use(9, 3 * H, 'failed', 'timeout'),
  ]
}

describe('GET /v1/sites/:site/opportunities', () => {
  it('ranks the planted drop-off first, its evidence naming the step and the reason', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING, BUDGET] })
    await seed(site, events())
    const { opportunities } = await getJson(`/v1/sites/${site.id}/opportunities`, read)
    const [first] = opportunities
    expect(first.kind).toBe('dropoff')
    expect(first.evidence).toMatchObject({
      workflow: 'account_linking',
      step: 'verify',
      entered: 38,
      dropped: 16,
      drop_rate: 0.4211,
      top_reason: 'mfa_timeout',
      top_reason_share: 0.8125,
    })
    expect(first.recommendation).toContain('verify')
    expect(first.recommendation).toContain('mfa_timeout')
  })

  it("names a feature drop-off's reason as /dropoffs does: its dropped users'", async () => {
    const { site, read } = await siteWith({ workflows: [LINKING, BUDGET] })
    await seed(site, [...events(), ...billPay()])
    const { opportunities } = await getJson(`/v1/sites/${site.id}/opportunities`, read)
    const found = opportunities.find((o: { evidence: { feature?: string } }) => {
      return o.evidence.feature === 'bill_pay'
    })
    expect(found.kind).toBe('dropoff')
    expect(found.evidence).toMatchObject({
      type: 'feature_access',
      entered: 10,
      dropped: 3,
      drop_rate: 0.3,
      top_reason: 'closed_modal', // 2 of 3 users; sync_failed has the most failed uses (4)
      top_reason_share: 0.6667,
    })
    expect(found.recommendation).toContain('closed_modal (66.7% of them)')
    const { points } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    const point = points.find((p: { id: string }) => p.id === 'feature:bill_pay')
    expect(point.common_reasons[0]).toEqual({ reason: 'closed_modal', count: 2, share: 0.6667 })
  })

  it('finds the unhealthy institution against the other banks', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING, BUDGET] })
    await seed(site, events())
    const { opportunities } = await getJson(`/v1/sites/${site.id}/opportunities`, read)
    const bank = opportunities.find((o: { kind: string }) => o.kind === 'institution')
    expect(bank.evidence).toMatchObject({
      institution: 'slow_bank',
      attempts: 25,
      success_rate: 0.8,
      status: 'critical',
      benchmark_success_rate: 1,
      failing_users: 5,
    })
    expect(bank.effort).toBe('high')
    expect(bank.confidence).toBe(0.333) // 25 / (25 + 50)
  })

  it('takes effort from site config', async () => {
    const { site, read } = await siteWith({
      workflows: [LINKING, BUDGET],
      effort: { dropoff: 'low', institution: 'medium' },
    })
    await seed(site, events())
    const { opportunities } = await getJson(`/v1/sites/${site.id}/opportunities`, read)
    const effort = Object.fromEntries(
      opportunities.map((o: { kind: string; effort: string }) => [o.kind, o.effort]),
    )
    expect(effort).toMatchObject({ dropoff: 'low', institution: 'medium', slow_step: 'medium' })
  })

  it('sorts by priority score and keeps ids stable between calls', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING, BUDGET] })
    await seed(site, events())
    const path = `/v1/sites/${site.id}/opportunities`
    const a = (await getJson(path, read)).opportunities
    const b = (await getJson(path, read)).opportunities
    const scores = a.map((o: { priority_score: number }) => o.priority_score)
    expect(scores).toEqual([...scores].sort((x, y) => y - x))
    expect(b.map((o: { id: string }) => o.id)).toEqual(a.map((o: { id: string }) => o.id))
  })
})
