/**
 * The users the `tier`, `device` and `feature` filters keep for revenue figures (DESIGN §6,
 * analysis/revenue/filter.ts). `/revenue` and the overview's MRR choose them the same way, so
 * that both answer the same MRR to the same question.
 */
import type { Filters } from '../../analysis/period'
import type { FeatureFirstUse, RevenueInput } from '../../analysis/revenue'
import { subscriptionTierUsers } from '../../analysis/revenue/filter'
import { featureUsers, seenUsers } from '../../db/insights/revenue'

type Subscriptions = Pick<RevenueInput, 'carried' | 'rows' | 'from' | 'to'>

/**
 * Null without a filter. `subscriptions` may still be loading: the filter's own reads run
 * alongside. `featureUses`, when read anyway, spares the read of the feature's users.
 */
export async function revenueUsers(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
  f: Filters,
  subscriptions: Promise<Subscriptions>,
  featureUses?: Promise<FeatureFirstUse>,
): Promise<Set<string> | null> {
  if (!f.tier && !f.device && !f.feature) return null
  const [tierSeen, deviceSeen, ofFeature, input] = await Promise.all([
    f.tier ? seenUsers(db, siteId, days, { tier: f.tier }) : undefined,
    f.device ? seenUsers(db, siteId, days, { device: f.device }) : undefined,
    f.feature
      ? featureUses
        ? featureUses.then((u) => new Set(u.get(f.feature!)?.keys() ?? []))
        : featureUsers(db, siteId, days, f.feature)
      : undefined,
    subscriptions,
  ])
  const sets: Set<string>[] = []
  if (tierSeen) sets.push(new Set([...tierSeen, ...subscriptionTierUsers(input, f.tier!)]))
  if (deviceSeen) sets.push(deviceSeen)
  if (ofFeature) sets.push(ofFeature)
  const [first, ...rest] = sets
  return new Set([...first].filter((uid) => rest.every((s) => s.has(uid))))
}
