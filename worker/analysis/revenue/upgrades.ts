/**
 * Subscription upgrades (DESIGN §7.9): the days in the period on which a paying user moved to a
 * dearer plan with `subscription_upgraded`, counted by the tier before → the tier after, with
 * the MRR they added (after − before). Free → paid is upgrade conversion's (conversion.ts).
 */
import { units } from './calendar'
import type { UserHistory } from './timeline'
import type { SubscriptionUpgrades, UpgradePair } from './types'

export function subscriptionUpgrades(
  users: Iterable<UserHistory>,
  from: string,
  to: string,
): SubscriptionUpgrades {
  const pairs = new Map<string, { from: string; to: string; count: number; cents: number }>()
  let count = 0
  let cents = 0
  for (const h of users) {
    for (const c of h.changes) {
      if (c.day < from || c.day > to || !c.upgraded || c.before === 0) continue
      const key = JSON.stringify([c.tier_before, c.tier_after])
      const p = pairs.get(key) ?? { from: c.tier_before, to: c.tier_after, count: 0, cents: 0 }
      p.count++
      p.cents += c.after - c.before
      pairs.set(key, p)
      count++
      cents += c.after - c.before
    }
  }
  const by_pair: UpgradePair[] = [...pairs.values()]
    .sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1))
    .map((p) => ({ from: p.from, to: p.to, count: p.count, mrr_added: units(p.cents) }))
  return { count, mrr_added: units(cents), by_pair }
}
