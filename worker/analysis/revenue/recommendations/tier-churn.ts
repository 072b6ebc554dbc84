/**
 * A tier whose churn is above the rest. Per paid tier, customer churn over the period with
 * Stripe's denominator (churn.ts): customers who churned from it / (its customers at the
 * period's start + those who started on it in the period); the rest is the same over the other
 * paid tiers together. A lever only when both hold `min_sample` customers and the 95% Newcombe
 * interval of the difference lies above 0. Its value is the MRR at risk: (tier rate − rest
 * rate) · the tier's MRR at stake (its customers' MRR at the start plus what its starts
 * brought), over the period, per 30 days.
 */
import { round } from '../../numbers'
import { newcombeInterval } from '../newcombe'
import { lever, money, monthly, pct, points, rounded, type Lever, type LeverContext } from './lever'

export type TierChurn = {
  tier: string
  /** Customers whose last subscription ended in the period, counted in the tier they left. */
  churned: number
  /** Customers at the period's start + starts (new, reactivation) in it, by tier. */
  exposed: number
  /** The MRR of those: at the start, and brought by the starts (currency units). */
  exposed_mrr: number
  /** Paying customers and MRR at the period's end. */
  customers: number
  mrr: number
}

export function tierChurnLevers(rows: TierChurn[], ctx: LeverContext): Lever[] {
  const total = { churned: 0, exposed: 0 }
  for (const r of rows) {
    total.churned += r.churned
    total.exposed += r.exposed
  }
  const out: Lever[] = []
  for (const r of rows) {
    const rest = { churned: total.churned - r.churned, exposed: total.exposed - r.exposed }
    if (r.exposed < ctx.minSample || rest.exposed < ctx.minSample) continue
    const diff = newcombeInterval(r.churned, r.exposed, rest.churned, rest.exposed)
    if (!diff || diff[0] <= 0) continue
    const rate = r.churned / r.exposed
    const restRate = rest.churned / rest.exposed
    const value = monthly((rate - restRate) * r.exposed_mrr, ctx.days)
    out.push(
      lever({
        kind: 'tier_churn',
        subject: r.tier,
        title: `${r.tier} loses ${pct(rate)} of its customers, the other tiers ${pct(restRate)}`,
        sentence:
          `In these ${ctx.days} days ${pct(rate)} of ${r.tier} customers churned against ` +
          `${pct(restRate)} in the other paid tiers (${points(rate - restRate)}, 95% interval ` +
          `${points(diff[0])} to ${points(diff[1])}; ${r.exposed} and ${rest.exposed} ` +
          `customers). Ask its churned customers why they left and fix what ${r.tier} ` +
          `promises but does not deliver: churning like the rest would keep about ` +
          `${money(value, ctx.currency)} of MRR a month.`,
        monthly_value: value,
        evidence: {
          tier: r.tier,
          churned: r.churned,
          customers_exposed: r.exposed,
          churn_rate: round(rate, 4),
          rest_churned: rest.churned,
          rest_customers_exposed: rest.exposed,
          rest_churn_rate: round(restRate, 4),
          difference: round(rate - restRate, 4),
          difference_interval: rounded(diff),
          exposed_mrr: round(r.exposed_mrr, 2),
          customers: r.customers,
          mrr: round(r.mrr, 2),
        },
      }),
    )
  }
  return out
}
