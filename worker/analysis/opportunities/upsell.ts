/**
 * Upsell opportunities: a feature that is valuable in a pricier tier (among its top three, or
 * value_score ≥ 60) and adopted by less than half as many users in a cheaper tier. Benchmark:
 * the pricier tier's adoption. extra adopters = (benchmark − adoption) · the cheaper tier's
 * active users; users_per_month = extra adopters · (upgrade rate of the cheaper tier's users
 * of the feature − of its other users, when positive), per 30 days; revenue_per_month = those
 * upgrades · the price step to the next tier up. The lift rests on the cheaper tier's few users
 * of the feature, so they are the n of its confidence.
 */
import type { TierUpgradeRow } from '../../db/insights/feature-stats'
import type { TierValue } from '../feature-value'
import { rate, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { pct, type Candidate } from './rank'

export const MIN_ACTIVE = 20
const VALUABLE_SCORE = 60

export function upsellCandidates(
  value: Record<string, TierValue>,
  upgrades: TierUpgradeRow[],
  tiers: { name: string; monthly_price: number }[],
  range: Range,
): Candidate[] {
  const priced = tiers.filter((t) => value[t.name])
  const stats = new Map(upgrades.map((u) => [`${u.tier}\u0000${u.feature ?? ''}`, u]))
  const out: Candidate[] = []
  for (const lower of priced) {
    const low = value[lower.name]
    if (low.active_users < MIN_ACTIVE) continue
    const nextPrice = Math.min(
      ...tiers.map((t) => t.monthly_price).filter((p) => p > lower.monthly_price),
    )
    // Per feature, the pricier tier where it is valuable and most adopted.
    const best = new Map<string, { tier: string; f: TierValue['features'][number] }>()
    for (const higher of priced.filter((t) => t.monthly_price > lower.monthly_price)) {
      const high = value[higher.name]
      for (const f of high.features) {
        const valuable = high.top_features.includes(f) || (f.value_score ?? 0) >= VALUABLE_SCORE
        const current = best.get(f.feature)
        if (valuable && (!current || (f.adoption ?? 0) > (current.f.adoption ?? 0))) {
          best.set(f.feature, { tier: higher.name, f })
        }
      }
    }
    for (const [feature, { tier: benchTier, f: bench }] of best) {
      const adoption = low.features.find((f) => f.feature === feature)?.adoption ?? 0
      const target = bench.adoption ?? 0
      if (!(adoption < 0.5 * target)) continue
      const users = stats.get(`${lower.name}\u0000${feature}`)
      const all = stats.get(`${lower.name}\u0000`)
      const rateUsers = users ? rate(users.upgraded, users.users) : null
      const rateOthers =
        users && all ? rate(all.upgraded - users.upgraded, all.users - users.users) : null
      const lift =
        rateUsers !== null && rateOthers !== null ? Math.max(0, rateUsers - rateOthers) : 0
      const extra = perMonth((target - adoption) * low.active_users, range)
      const step = Number.isFinite(nextPrice) ? nextPrice - lower.monthly_price : 0
      out.push({
        kind: 'upsell',
        subject: `${feature}:${lower.name}`,
        title: `${lower.name} users rarely find ${feature}, which ${benchTier} users value`,
        evidence: {
          feature,
          tier: lower.name,
          benchmark_tier: benchTier,
          adoption: round(adoption, 4),
          benchmark_adoption: round(target, 4),
          benchmark_value_score: bench.value_score,
          benchmark_satisfaction: bench.satisfaction,
          active_users: low.active_users,
          upgrade_rate_users: round(rateUsers, 4),
          upgrade_rate_others: round(rateOthers, 4),
          extra_adopters_per_month: round(extra, 1),
          price_step: round(step, 2),
        },
        benchmark: {
          rate: round(target, 4),
          source: `tier:${benchTier} adoption of ${feature}`,
          n: value[benchTier].active_users,
          observed: true,
        },
        users_per_month: extra * lift,
        revenue_per_month: extra * lift * step,
        n: users?.users ?? 0,
        recommendation:
          `Show ${feature} to ${lower.name} users: ${pct(target)} of ${benchTier} users use it` +
          ` (value score ${bench.value_score ?? 'n/a'}) but only ${pct(adoption)} of ${lower.name}` +
          ` users do` +
          (rateUsers !== null && rateOthers !== null
            ? `, and those who do upgrade ${pct(rateUsers)} of the time against ${pct(rateOthers)}`
            : '') +
          `. Matching ${benchTier}'s adoption would mean about ${Math.round(extra)} more users a` +
          ` month and ${round(extra * lift, 1)} more upgrades.`,
      })
    }
  }
  return out
}
