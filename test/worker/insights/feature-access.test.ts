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

/**
 * budget_tracking (plus): a completes; b fails (timeout) then completes; c abandons
 * (closed_modal, desktop) on day 0 and fails (sync_failed, mobile) on day 1; d (free) only
 * starts; e (free) only rates; a use with no uid fails. savings_goals (free): f fails, no reason.
 */
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
    use('c', 0, { status: 'abandoned', reason: 'closed_modal' }),
    use('c', 1, { status: 'failed', reason: 'sync_failed', device: 'mobile' }),
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
      expect(access).toEqual({ access: stats.access, dropReasons: stats.dropReasons })
    }
    const { access: all } = await featureAccess(env.DB, site.id, days, {})
    expect(all).toContainEqual({
      tier: 'plus',
      feature: 'budget_tracking',
      entered: 3,
      failing: 2,
      dropped: 1,
    })
  })

  it("gives each dropped user one reason, their latest failed or abandoned use's", async () => {
    const { site } = await siteWith()
    await seed(site, events())
    const days = rollupDays({ from: BASE - DAY, to: BASE + 3 * DAY, days: 4 })
    const reasons = async (filters: { device?: 'mobile' | 'desktop' }) => {
      const { dropReasons } = await featureAccess(env.DB, site.id, days, filters)
      return dropReasons.sort((x, y) => (x.feature < y.feature ? -1 : 1))
    }
    // b completed, so timeout is not counted; c's latest is day 1's; f's event gave no reason
    expect(await reasons({})).toEqual([
      { tier: 'plus', feature: 'budget_tracking', reason: 'sync_failed', users: 1 },
      { tier: 'free', feature: 'savings_goals', reason: 'unknown', users: 1 },
    ])
    // within a device filter, the latest of that device's uses
    expect(await reasons({ device: 'desktop' })).toEqual([
      { tier: 'plus', feature: 'budget_tracking', reason: 'closed_modal', users: 1 },
      { tier: 'free', feature: 'savings_goals', reason: 'unknown', users: 1 },
    ])
  })
})
