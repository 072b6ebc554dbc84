/**
 * Feature value by tier (DESIGN §7.1), from rollup rows to the response. Every formula is in
 * docs/formulas.md §7.1; the comments here name them.
 */
import type {
  FeatureUsageRow,
  FeatureUsersRow,
  TierActivityRow,
} from '../db/insights/feature-stats'
import { rate, round } from './numbers'
import { valueScores, type ValueWeights } from './value-score'

export type FeatureValue = {
  feature: string
  usage_count: number
  unique_users: number
  adoption: number | null
  time_spent_s: number | null
  success_rate: number | null
  satisfaction: number | null
  revenue_impact: number | null
  retention_impact: number | null
  value_score: number | null
}
export type TierValue = {
  active_users: number
  average_value_score: number | null
  features: FeatureValue[]
  top_features: FeatureValue[]
}

export function featureValueByTier(
  usage: FeatureUsageRow[],
  users: FeatureUsersRow[],
  tiers: TierActivityRow[],
  weights: ValueWeights,
  tierOrder: string[],
): Record<string, TierValue> {
  const tierOf = new Map(tiers.map((t) => [t.tier, t]))
  const usersOf = new Map(users.map((u) => [`${u.tier}\u0000${u.feature}`, u]))
  // Configured tiers, and any other tier some feature was used in (not, say, 'unknown' visitors).
  const names = [...new Set([...tiers.map((t) => t.tier), ...usage.map((u) => u.tier)])].filter(
    (t) => tierOrder.includes(t) || usage.some((u) => u.tier === t),
  )
  const rank = (t: string) => (tierOrder.includes(t) ? tierOrder.indexOf(t) : tierOrder.length)
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))

  // Tier names are the sender's: `__proto__` must be a key like any other.
  const out: Record<string, TierValue> = Object.create(null)
  for (const tier of names) {
    const total = tierOf.get(tier) ?? { tier, users: 0, revenue: 0, eligible: 0, retained: 0 }
    const rows = usage.filter((u) => u.tier === tier && (u.uses > 0 || u.users > 0))
    const values = rows.map((u) =>
      featureMeasures(u, usersOf.get(`${tier}\u0000${u.feature}`), total),
    )
    const scores = valueScores(
      values.map((v) => ({
        usage: v.usage_count,
        time: v.time_spent_s,
        revenue: v.revenue_impact,
        satisfaction: v.satisfaction,
        retention: v.retention_impact,
      })),
      weights,
    )
    const features = values
      .map((v, i) => ({ ...v, value_score: scores[i] }))
      .sort(
        (a, b) =>
          (b.value_score ?? -1) - (a.value_score ?? -1) ||
          b.usage_count - a.usage_count ||
          (a.feature < b.feature ? -1 : 1),
      )
    const scored = features.map((f) => f.value_score).filter((s): s is number => s !== null)
    out[tier] = {
      active_users: total.users,
      average_value_score: scored.length
        ? round(scored.reduce((a, b) => a + b, 0) / scored.length, 1)
        : null,
      features,
      top_features: features.slice(0, 3),
    }
  }
  return out
}

/** One feature in one tier, before scoring. */
export function featureMeasures(
  u: FeatureUsageRow,
  fu: FeatureUsersRow | undefined,
  tier: TierActivityRow,
): Omit<FeatureValue, 'value_score'> {
  return {
    feature: u.feature,
    usage_count: u.uses,
    unique_users: u.users,
    adoption: round(rate(u.users, tier.users), 4),
    // Seconds per user of the feature over the period.
    time_spent_s: u.timed > 0 ? round(u.time_s / Math.max(u.users, 1), 1) : null,
    success_rate: round(rate(u.completed, u.completed + u.failed + u.abandoned), 4),
    satisfaction: round(rate(u.rating_sum, u.ratings), 2),
    revenue_impact: round(revenueImpact(u, fu, tier), 2),
    retention_impact: round(retentionImpact(fu, tier), 4),
  }
}

/**
 * Attributed revenue + (ARPU of users, less what they paid through this feature − ARPU of the
 * tier's other active users) × users. Null when the tier earned nothing in the period.
 */
export function revenueImpact(
  u: FeatureUsageRow,
  fu: FeatureUsersRow | undefined,
  tier: TierActivityRow,
): number | null {
  if (!(tier.revenue > 0) && !(u.attributed > 0)) return null
  if (!fu || fu.users === 0 || tier.users - fu.users <= 0) return u.attributed
  const arpuUsers = (fu.revenue - fu.attributed) / fu.users
  const arpuOthers = (tier.revenue - fu.revenue) / (tier.users - fu.users)
  return u.attributed + (arpuUsers - arpuOthers) * fu.users
}

/** 7-day retention of the feature's users − of the tier's other users: a fraction −1…1. */
export function retentionImpact(fu: FeatureUsersRow | undefined, tier: TierActivityRow) {
  if (!fu) return null
  const users = rate(fu.retained, fu.eligible)
  const others = rate(tier.retained - fu.retained, tier.eligible - fu.eligible)
  return users === null || others === null ? null : users - others
}
