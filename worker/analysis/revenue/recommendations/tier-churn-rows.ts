/**
 * The tier churn lever's rows from the users' MRR histories (timeline.ts): per tier, the
 * customers at stake in the period (paying at its start, in the tier they had then; or starting
 * — new or reactivation — in it, in the tier they started on), those who churned (in the tier
 * they left), and the customers and MRR at the end. Summed over tiers these are the period's
 * churn_rate numbers (Stripe's denominator).
 */
import { units } from '../calendar'
import { mrrAt, mrrBefore, type UserHistory } from '../timeline'
import type { TierChurn } from './tier-churn'

/** The tier at the end of `day` (the start tier before any change). */
export function tierAt(h: UserHistory, day: string): string {
  let tier = h.start_tier
  for (const c of h.changes) {
    if (c.day > day) break
    tier = c.tier_after
  }
  return tier
}

function tierBefore(h: UserHistory, day: string): string {
  let tier = h.start_tier
  for (const c of h.changes) {
    if (c.day >= day) break
    tier = c.tier_after
  }
  return tier
}

export function tierChurnRows(users: Iterable<UserHistory>, from: string, to: string): TierChurn[] {
  const tiers = new Map<string, TierChurn>()
  const of = (tier: string) => {
    let t = tiers.get(tier)
    if (!t) {
      t = { tier, churned: 0, exposed: 0, exposed_mrr: 0, customers: 0, mrr: 0 }
      tiers.set(tier, t)
    }
    return t
  }
  for (const h of users) {
    const start = mrrBefore(h, from)
    if (start > 0) {
      const t = of(tierBefore(h, from))
      t.exposed++
      t.exposed_mrr += start
    }
    for (const c of h.changes) {
      if (c.day < from || c.day > to) continue
      if (c.movement === 'new' || c.movement === 'reactivation') {
        const t = of(c.tier_after)
        t.exposed++
        t.exposed_mrr += c.after
      }
      if (c.movement === 'churn') of(c.tier_before).churned++
    }
    const end = mrrAt(h, to)
    if (end > 0) {
      const t = of(tierAt(h, to))
      t.customers++
      t.mrr += end
    }
  }
  return [...tiers.values()].map((t) => ({
    ...t,
    exposed_mrr: units(t.exposed_mrr),
    mrr: units(t.mrr),
  }))
}
