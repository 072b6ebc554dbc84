/**
 * Units (DESIGN §10): every rate in an answer is a fraction 0–1 and a difference of rates a
 * fraction −1…1. Hand-built data, exact values; retention's own are in retention.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { BASE, DAY, getJson, seed, siteWith, type Ev } from './seed'

const page = (uid: string, ts: number): Ev => ({ type: 'page', ts, uid, tier: 'plus', path: '/' })
const use = (uid: string, feature: string): Ev => ({
  type: 'feature',
  ts: BASE + 60_000,
  uid,
  tier: 'plus',
  feature,
  status: 'completed',
})

/**
 * Eight plus users first seen ten days ago (all eligible for 7-day retention), four back eight
 * days later: a1 a2 a3 of budget_tracking's users a1–a4, and o1 of the others o1–o4.
 * goal_setting: o2 and o3, neither back.
 */
function events(): Ev[] {
  const users = ['a1', 'a2', 'a3', 'a4', 'o1', 'o2', 'o3', 'o4']
  return [
    ...users.map((u) => page(u, BASE)),
    ...['a1', 'a2', 'a3', 'o1'].map((u) => page(u, BASE + 8 * DAY)),
    ...['a1', 'a2', 'a3', 'a4'].map((u) => use(u, 'budget_tracking')),
    ...['o2', 'o3'].map((u) => use(u, 'goal_setting')),
  ]
}

describe('rates are fractions', () => {
  it('gives retention_impact as a difference of fractions, not percentage points', async () => {
    const { site, read } = await siteWith()
    await seed(site, events())
    const { tiers } = await getJson(`/v1/sites/${site.id}/features/value`, read)
    const impact = new Map<string, number | null>(
      tiers.plus.features.map((f: { feature: string; retention_impact: number | null }) => [
        f.feature,
        f.retention_impact,
      ]),
    )
    // budget_tracking: 3/4 of its users back against 1/4 of the others
    expect(impact.get('budget_tracking')).toBe(0.5)
    // goal_setting: 0/2 against (4 − 0)/(8 − 2)
    expect(impact.get('goal_setting')).toBe(-0.6667)
    for (const v of impact.values()) expect(Math.abs(v!)).toBeLessThanOrEqual(1)
  })
})
