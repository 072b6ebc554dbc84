/**
 * A tier whose churn is above the rest. Per paid tier, customer churn with Stripe's
 * denominator pooled over the months of the period: Σ churned / Σ (active at the month's start
 * + new in it) — a monthly rate; the rest is the same over the other paid tiers together. A
 * lever only when both hold `min_sample` customer-months and the 95% Newcombe interval of the
 * difference lies above 0. Its value is the MRR at risk each month: (tier rate − rest rate) ·
 * the tier's MRR at the end of the period.
 */
import { round } from '../../numbers'
import { lever, money, pct, points, rounded, type Lever, type LeverContext } from './lever'
import { excludesZero, newcombeDiff } from './newcombe'

export type TierChurn = {
  tier: string
  /** Customers who churned (their last subscription ended) in the period's months. */
  churned: number
  /** Σ over the months of (customers active at the month's start + new in the month). */
  exposed: number
  /** The tier's MRR at the end of the period. */
  mrr: number
  /** Its paying customers at the end of the period. */
  customers: number
}

export function tierChurnLevers(rows: TierChurn[], ctx: LeverContext): Lever[] {
  const total = rows.reduce(
    (s, r) => ({ churned: s.churned + r.churned, exposed: s.exposed + r.exposed }),
    {
      churned: 0,
      exposed: 0,
    },
  )
  const out: Lever[] = []
  for (const r of rows) {
    const rest = { x: total.churned - r.churned, n: total.exposed - r.exposed }
    if (r.exposed < ctx.minSample || rest.n < ctx.minSample || r.mrr <= 0) continue
    const diff = newcombeDiff({ x: r.churned, n: r.exposed }, rest)
    if (!excludesZero(diff) || diff[0] <= 0) continue
    const rate = r.churned / r.exposed
    const restRate = rest.x / rest.n
    const value = (rate - restRate) * r.mrr
    out.push(
      lever({
        kind: 'tier_churn',
        subject: r.tier,
        title: `${r.tier} loses ${pct(rate)} of its customers a month, the other tiers ${pct(restRate)}`,
        sentence:
          `${r.tier} customers churn ${pct(rate)} a month against ${pct(restRate)} in the other ` +
          `paid tiers (${points(rate - restRate)}, 95% interval ${points(diff[0])} to ` +
          `${points(diff[1])}; ${r.exposed} and ${rest.n} customer-months). Ask its churned ` +
          `customers why they left and fix what ${r.tier} promises but does not deliver: ` +
          `bringing its churn down to the rest's keeps about ${money(value, ctx.currency)} of ` +
          `MRR a month.`,
        monthly_value: value,
        evidence: {
          tier: r.tier,
          churned: r.churned,
          exposed: r.exposed,
          churn_rate: round(rate, 4),
          rest_churned: rest.x,
          rest_exposed: rest.n,
          rest_churn_rate: round(restRate, 4),
          difference: round(rate - restRate, 4),
          difference_interval: rounded(diff),
          customers: r.customers,
          mrr: round(r.mrr, 2),
        },
      }),
    )
  }
  return out
}
