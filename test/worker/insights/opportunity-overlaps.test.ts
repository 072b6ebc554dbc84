/**
 * Opportunities in real D1 (issue 15, DESIGN §7.7, §7.9): an unhealthy bank and the step where
 * its failures show share users, counted once in the total; the ROI takes its cost assumptions
 * from site config and states them.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import { BASE, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

const H = 3600_000

/**
 * account_linking, 40 plus users: l0–l1 fail at connect; l2–l11 fail at verify while linking
 * slow_bank, l12–l17 while linking harbor_bank; the rest complete with harbor_bank. Bank
 * connections: slow_bank fails for l2–l11 and succeeds for 10 others (50 %), harbor_bank
 * succeeds 30 times.
 */
function events(): Ev[] {
  const out: Ev[] = []
  for (let i = 0; i < 40; i++) {
    const institution = i >= 2 && i < 12 ? 'slow_bank' : 'harbor_bank'
    const steps: [number, string, string?, string?][] = [[0, 'start', 'started']]
    if (i < 2) steps.push([10, 'connect', 'failed', 'invalid_credentials'])
    else {
      steps.push([10, 'connect', 'completed'])
      if (i < 18) steps.push([40, 'verify', 'failed', 'mfa_timeout'])
      else steps.push([40, 'verify', 'completed'], [45, 'complete', 'completed'])
    }
    out.push(...run(`l${i}`, BASE + i * H, steps, { tier: 'plus', institution }))
  }
  const connection = (uid: string, i: number, institution: string, ok: boolean): Ev => ({
    type: 'connection',
    ts: BASE + i * 600_000,
    uid,
    tier: 'plus',
    institution,
    status: ok ? 'completed' : 'failed',
    value: 800,
  })
  for (let i = 2; i < 12; i++) out.push(connection(`u-l${i}`, i, 'slow_bank', false))
  for (let i = 0; i < 10; i++) out.push(connection(`s${i}`, 20 + i, 'slow_bank', true))
  for (let i = 0; i < 30; i++) out.push(connection(`h${i}`, i, 'harbor_bank', true))
  return out
}

type Op = {
  id: string
  kind: string
  evidence: Record<string, unknown>
  benchmark: { rate: number; source: string; n: number | null } | null
  overlaps: { id: string; rank: number; share: number }[]
  improvement_potential: Record<string, number>
  cost: { engineer_weeks: number; amount: number }
  roi: number
}

describe('opportunities: overlaps, union total, ROI', () => {
  it('counts a user lost at verify while linking the failing bank once, for the bank', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, events())
    const answer = await getJson(`/v1/sites/${site.id}/opportunities?limit=100`, read)
    const list = answer.opportunities as Op[]
    const bank = list.find((o) => o.kind === 'institution')!
    const verify = list.find((o) => o.kind === 'dropoff' && o.evidence.step === 'verify')!
    // The bank's 10 failing users are l2–l11, all among verify's 16 dropped users.
    expect(verify.overlaps).toEqual([{ id: bank.id, rank: list.indexOf(bank) + 1, share: 0.625 }])
    expect(bank.overlaps).toEqual([{ id: verify.id, rank: list.indexOf(verify) + 1, share: 1 }])
    // The bank keeps its 10 users (9.99 each); verify keeps 6 / 16 of its potential.
    expect(bank.improvement_potential).toMatchObject({
      users_per_month: 10,
      revenue_per_month: 99.9,
    })
    // verify: 16 of 38 drop; the best comparable point, connect, loses 2 of 40 (5 %).
    expect(verify.benchmark).toEqual({
      rate: 0.05,
      source: 'type:integration account_linking › connect',
      n: 40,
    })
    const gross = (16 / 38 - 0.05) * 38
    expect(verify.improvement_potential.gross_users_per_month).toBeCloseTo(gross, 1)
    expect(verify.improvement_potential.users_per_month).toBeCloseTo(gross * (6 / 16), 1)
    const sum = (k: string) => list.reduce((s, o) => s + o.improvement_potential[k], 0)
    expect(answer.total.revenue_per_month).toBeCloseTo(sum('revenue_per_month'), 1)
    expect(answer.total.gross_revenue_per_month).toBeCloseTo(sum('gross_revenue_per_month'), 1)
    expect(answer.total.revenue_per_month).toBeLessThan(answer.total.gross_revenue_per_month)
    // Users: the bank's 10, verify's 6 not linking it — each once.
    expect(answer.total.users_per_month).toBeCloseTo(10 + gross * (6 / 16), 1)
  })

  it('prices the effort with the config’s assumptions and says which they are', async () => {
    const { site, read } = await siteWith({
      workflows: [LINKING],
      currency: 'EUR',
      engineer_week_cost: 1000,
      effort_costs: { high: 2 },
    })
    await seed(site, events())
    const answer = await getJson(`/v1/sites/${site.id}/opportunities?limit=100`, read)
    expect(answer.cost_assumptions).toEqual({
      currency: 'EUR',
      engineer_week_cost: 1000,
      effort_costs: { low: 1, medium: 3, high: 2 },
      from_config: { engineer_week_cost: true, effort_costs: ['high'] },
    })
    const bank = (answer.opportunities as Op[]).find((o) => o.kind === 'institution')!
    expect(bank.cost).toEqual({ engineer_weeks: 2, amount: 2000 })
    expect(bank.roi).toBeCloseTo((99.9 * 12) / 2000, 2)
  })

  it('refuses cost assumptions out of bounds with a 400 naming the field', async () => {
    const { site } = await siteWith({})
    for (const body of [
      { effort_costs: { low: 0 } },
      { effort_costs: { medium: 1000 } },
      { effort_costs: { urgent: 1 } },
      { engineer_week_cost: -5 },
      { engineer_week_cost: 1e9 },
    ]) {
      const res = await call(`/v1/sites/${site.id}/config`, {
        method: 'PATCH',
        token: site.admin,
        body,
      })
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('invalid_body')
      expect(JSON.stringify(error)).toContain(Object.keys(body)[0])
    }
    const res = await call(`/v1/sites/${site.id}/config`, { token: site.admin })
    const { config } = (await res.json()) as { config: Record<string, unknown> }
    expect(config.effort_costs).toBeUndefined()
    expect(config.engineer_week_cost).toBeUndefined()
  })
})
