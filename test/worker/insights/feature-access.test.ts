import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { daysBefore, rollupDays } from '../../../worker/analysis/rollup-days'
import { featureAccess } from '../../../worker/db/insights/feature-access'
import { featureStats } from '../../../worker/db/insights/feature-stats'
import { BASE, DAY, seed, siteWith, type Ev } from './seed'

const TIERS = [
  { name: 'free', monthly_price: 0 },
  { name: 'plus', monthly_price: 5 },
]

/** Tried, failed then completed, failed only, started only, feedback only, no uid; two days. */
function events(): Ev[] {
  const use = (uid: string | undefined, day: number, fields: Partial<Ev> = {}): Ev => ({
    type: 'feature',
    ts: BASE + day * DAY,
    ...(uid ? { uid } : {}),
    tier: 'plus',
    feature: 'budget_tracking',
    status: 'completed',
    ...fields,
  })
  return [
    use('a', 0),
    use('b', 0, { status: 'failed', reason: 'timeout' }),
    use('b', 1),
    use('c', 0, { status: 'abandoned' }),
    use('c', 1, { status: 'failed', device: 'mobile' }),
    use('d', 1, { status: 'started', tier: 'free' }),
    { type: 'feedback', ts: BASE, uid: 'e', tier: 'free', feature: 'budget_tracking', value: 4 },
    use(undefined, 0, { status: 'failed' }),
    use('f', 1, { feature: 'savings_goals', tier: 'free', status: 'failed' }),
  ]
}

describe('feature access', () => {
  it('counts what feature stats counts for feature-access drop-offs', async () => {
    const { site } = await siteWith()
    await seed(site, events())
    const range = { from: BASE - DAY, to: BASE + 3 * DAY, days: 4 }
    const days = rollupDays(range)
    const cutoff = daysBefore(days.to_day, 7)
    for (const filters of [{}, { tier: 'plus' }, { device: 'mobile' as const }]) {
      const stats = await featureStats(env.DB, site.id, days, filters, cutoff, TIERS)
      const access = await featureAccess(env.DB, site.id, days, filters)
      expect(access).toEqual(stats.access)
    }
    const all = await featureAccess(env.DB, site.id, days, {})
    expect(all).toContainEqual({
      tier: 'plus',
      feature: 'budget_tracking',
      entered: 3,
      failing: 2,
      dropped: 1,
    })
  })
})
