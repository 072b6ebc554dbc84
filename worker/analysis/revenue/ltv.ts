/**
 * Customer lifetime value (DESIGN §7.9), two ways.
 *
 * Predicted (ChartMogul's LTV): ARPPU / monthly customer churn rate over the trailing 6
 * complete months, where ARPPU = Σ month-end MRR / Σ month-end customers and the churn rate is
 * Stripe's, pooled: Σ churned / Σ (customers at start + started). 1 / churn is the expected
 * lifetime in months, so the product is what a customer pays over it. Revenue per *paying*
 * customer, since the churn rate counts paying customers. Null when nobody churned (the
 * lifetime is unbounded) or nobody paid.
 * Observed: revenue so far per customer of the cohorts that began in the period (cohorts.ts).
 */
import { rate } from '../numbers'
import { fraction, units } from './calendar'
import { paidBetween } from './cohorts'
import type { MonthCents } from './series'
import type { UserHistory } from './timeline'
import type { CustomerLifetimeValue, ObservedCohort } from './types'

export const TRAILING_MONTHS = 6

/** Whole calendar months of the series, the last `TRAILING_MONTHS` of them. */
export function trailingMonths(months: MonthCents[]): MonthCents[] {
  const whole = months.filter((m) => m.from.endsWith('-01') && m.to === lastDayOf(m.month))
  return whole.slice(-TRAILING_MONTHS)
}

function lastDayOf(month: string): string {
  const d = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0))
  return d.toISOString().slice(0, 10)
}

export function lifetimeValue(
  windowMonths: MonthCents[],
  cohortMembers: UserHistory[][],
  observed: ObservedCohort[],
  to: string,
): CustomerLifetimeValue {
  const trailing = trailingMonths(windowMonths)
  let churned = 0
  let base = 0
  let mrr = 0
  let customers = 0
  for (const m of trailing) {
    churned += m.churned_customers
    base += m.customers_start + m.new_customers + m.reactivated_customers
    mrr += m.mrr
    customers += m.customers
  }
  const churn = rate(churned, base)
  const arppuCents = rate(mrr, customers)
  const members = cohortMembers.flat()
  let paid = 0
  for (const h of members) paid += paidBetween(h, '0000-00-00', to)
  return {
    ltv: arppuCents !== null && churn ? units(arppuCents / churn) : null,
    arppu: arppuCents === null ? null : units(arppuCents),
    monthly_churn_rate: fraction(churn),
    trailing_months: trailing.map((m) => m.month),
    observed: {
      customers: members.length,
      revenue_per_customer: members.length ? units(paid / members.length) : null,
      cohorts: observed,
    },
  }
}
