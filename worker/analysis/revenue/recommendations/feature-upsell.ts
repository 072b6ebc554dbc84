/**
 * Upsell a feature whose users upgrade more (DESIGN §7.9 upgrade_conversion, conversion.ts):
 * of the period's free users, those who used the feature started paying at p1, the others at
 * p0. A lever only when both groups hold `min_sample` users and the difference's 95% Newcombe
 * interval lies above 0. Its value: were the free non-users to convert like the users, extra
 * upgrades = (p1 − p0) · non-users over the period, per 30 days, each worth the mean MRR a
 * start (new or reactivation) brought in the period. The value at the interval's lower bound is
 * in the evidence. Users who find a feature may be those who would upgrade anyway: the
 * sentence says "upgrade more", not "because of".
 */
import { round } from '../../numbers'
import type { FeatureConversion } from '../types'
import { lever, money, monthly, pct, points, type Lever, type LeverContext } from './lever'

export type UpsellContext = LeverContext & {
  /** Mean MRR added by one free → paid start in the period; null without starts. */
  mrrPerUpgrade: number | null
}

export function featureUpsellLevers(rows: FeatureConversion[], ctx: UpsellContext): Lever[] {
  const perUpgrade = ctx.mrrPerUpgrade
  if (perUpgrade === null || perUpgrade <= 0) return []
  const out: Lever[] = []
  for (const r of rows) {
    const { users: u, non_users: non, interval } = r
    if (u.n < ctx.minSample || non.n < ctx.minSample) continue
    if (!interval || interval[0] <= 0) continue
    const p1 = u.converted / u.n
    const p0 = non.converted / non.n
    const extra = monthly((p1 - p0) * non.n, ctx.days)
    const value = extra * perUpgrade
    const low = monthly(interval[0] * non.n, ctx.days) * perUpgrade
    out.push(
      lever({
        kind: 'feature_upsell',
        subject: r.feature,
        title: `Free users of ${r.feature} upgrade ${pct(p1)} of the time, others ${pct(p0)}`,
        sentence:
          `Free users who use ${r.feature} start paying ${pct(p1)} of the time against ` +
          `${pct(p0)} for those who do not (${points(p1 - p0)}, 95% interval ` +
          `${points(interval[0])} to ${points(interval[1])}; ${u.n} users, ${non.n} non-users). ` +
          `Put ${r.feature} in front of the ${non.n} free users who have not tried it ` +
          `(onboarding, empty states, the upgrade page): converting like its users would bring ` +
          `about ${money(value, ctx.currency)} of new MRR a month.`,
        monthly_value: value,
        evidence: {
          feature: r.feature,
          users: u.n,
          users_upgraded: u.converted,
          upgrade_rate_users: round(p1, 4),
          non_users: non.n,
          non_users_upgraded: non.converted,
          upgrade_rate_non_users: round(p0, 4),
          difference: round(p1 - p0, 4),
          difference_interval: interval,
          lift: r.lift,
          extra_upgrades_per_month: round(extra, 2),
          mrr_per_upgrade: round(perUpgrade, 2),
          monthly_value_at_lower_bound: round(low, 2),
        },
      }),
    )
  }
  return out
}
