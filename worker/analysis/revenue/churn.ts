/**
 * Churn and growth rates of a span (a month, or the whole period) from its movements and
 * customer counts (DESIGN §7.9). Amounts in cents; contraction and churn are ≤ 0. Each rate is
 * null when its denominator is 0: no data, not 0.
 */
import type { Movements } from './types'

type Span = Movements & {
  mrr_start: number
  customers_start: number
  new_customers: number
  reactivated_customers: number
  churned_customers: number
}

/**
 * Stripe Billing's customer churn rate: customers who churned in the span / (customers active
 * at its start + customers who started in it). Counting the starts keeps a fast-growing month
 * from looking like heavy churn. Reactivated customers start a subscription too, so they count
 * in the denominator with the new ones.
 */
export function customerChurnRate(s: Span): number | null {
  const base = s.customers_start + s.new_customers + s.reactivated_customers
  return base > 0 ? s.churned_customers / base : null
}

/** Gross MRR churn (ChartMogul, Baremetrics): (|churn| + |contraction|) / MRR at the start. */
export function grossMrrChurnRate(s: Span): number | null {
  return s.mrr_start > 0 ? -(s.churn + s.contraction) / s.mrr_start : null
}

/**
 * Net MRR churn (ChartMogul): (|churn| + |contraction| − expansion − reactivation) / MRR at the
 * start. Below 0 is net negative churn: the customers kept grew more than the rest shrank.
 */
export function netMrrChurnRate(s: Span): number | null {
  return s.mrr_start > 0
    ? -(s.churn + s.contraction + s.expansion + s.reactivation) / s.mrr_start
    : null
}

/**
 * The SaaS quick ratio (Mamoon Hamid, 2015): (new + expansion + reactivation) /
 * (|contraction| + |churn|); above 1 the MRR grows. Null without any loss to divide by.
 */
export function quickRatio(m: Movements): number | null {
  const lost = -(m.contraction + m.churn)
  return lost > 0 ? (m.new + m.expansion + m.reactivation) / lost : null
}
