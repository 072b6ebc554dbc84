/**
 * Upsell a feature whose users upgrade more (DESIGN §7.9 upgrade_conversion). Of the free users
 * of the period, those who used the feature upgraded to a paid tier at p1, the others at p0.
 * A lever only when both groups hold `min_sample` users and the difference's 95% Newcombe
 * interval excludes 0 on the upside. Its value: were the free non-users to convert like the
 * users, extra upgrades = (p1 − p0) · non-users over the period, per 30 days, each worth the
 * mean MRR a free → paid upgrade brought in the period. The conservative value, with the
 * interval's lower bound for p1 − p0, is in the evidence. Users who find a feature may be the
 * ones who would upgrade anyway: the sentence says "upgrade more", not "because of".
 */
import { round } from '../../numbers'
import { lever, money, monthly, pct, points, rounded, type Lever, type LeverContext } from './lever'
import { excludesZero, newcombeDiff } from './newcombe'

export type FeatureConversion = {
  feature: string
  /** Free users of the period who used the feature, and how many of them upgraded. */
  users: number
  users_upgraded: number
  /** Free users of the period who did not use it. */
  non_users: number
  non_users_upgraded: number
}

export type UpsellContext = LeverContext & {
  /** Mean MRR added by one free → paid upgrade in the period; null without upgrades. */
  mrrPerUpgrade: number | null
}

export function featureUpsellLevers(rows: FeatureConversion[], ctx: UpsellContext): Lever[] {
  const perUpgrade = ctx.mrrPerUpgrade
  if (perUpgrade === null || perUpgrade <= 0) return []
  const out: Lever[] = []
  for (const r of rows) {
    if (r.users < ctx.minSample || r.non_users < ctx.minSample) continue
    const diff = newcombeDiff(
      { x: r.users_upgraded, n: r.users },
      { x: r.non_users_upgraded, n: r.non_users },
    )
    if (!excludesZero(diff) || diff[0] <= 0) continue
    const p1 = r.users_upgraded / r.users
    const p0 = r.non_users_upgraded / r.non_users
    const extra = monthly((p1 - p0) * r.non_users, ctx.days)
    const value = extra * perUpgrade
    const low = monthly(diff[0] * r.non_users, ctx.days) * perUpgrade
    out.push(
      lever({
        kind: 'feature_upsell',
        subject: r.feature,
        title: `Users of ${r.feature} upgrade ${pct(p1)} of the time, others ${pct(p0)}`,
        sentence:
          `Free users who use ${r.feature} upgrade ${pct(p1)} of the time against ${pct(p0)} ` +
          `for those who do not (${points(p1 - p0)}, 95% interval ${points(diff[0])} to ` +
          `${points(diff[1])}; ${r.users} users, ${r.non_users} non-users). Put ${r.feature} ` +
          `in front of the ${r.non_users} free users who have not tried it (onboarding, ` +
          `empty states, the upgrade page): converting like its users would bring about ` +
          `${money(value, ctx.currency)} of MRR a month.`,
        monthly_value: value,
        evidence: {
          feature: r.feature,
          users: r.users,
          users_upgraded: r.users_upgraded,
          upgrade_rate_users: round(p1, 4),
          non_users: r.non_users,
          non_users_upgraded: r.non_users_upgraded,
          upgrade_rate_non_users: round(p0, 4),
          difference: round(p1 - p0, 4),
          difference_interval: rounded(diff),
          lift: p0 > 0 ? round(p1 / p0, 4) : null,
          extra_upgrades_per_month: round(extra, 2),
          mrr_per_upgrade: round(perUpgrade, 2),
          monthly_value_at_lower_bound: round(low, 2),
        },
      }),
    )
  }
  return out
}
