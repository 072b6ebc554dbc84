/**
 * Revenue analytics (DESIGN §7.9) from rollup rows: MRR and its five movements per month and per
 * day, and the eight metrics. Pure: rows in, numbers out (the route loads, db/insights/revenue.ts
 * queries). Every formula is in the JSDoc of its file and in docs/formulas.md.
 */
import { featureAdoption, payingUsers } from './adoption'
import { fraction, monthEnd, monthOf, monthStart } from './calendar'
import { customerChurnRate, grossMrrChurnRate, netMrrChurnRate, quickRatio } from './churn'
import { observedCohorts, paidCohorts, retentionCohorts } from './cohorts'
import { upgradeConversion, type FeatureFirstUse } from './conversion'
import { featureRevenue, type WindowUse } from './feature-revenue'
import { lifetimeValue, TRAILING_MONTHS } from './ltv'
import {
  activeUsers,
  dailySeries,
  dayPoints,
  monthAnswer,
  monthsOf,
  movementUnits,
  mrrChange,
  type MonthCents,
} from './series'
import { subscriptionUpgrades } from './upgrades'
import { userHistories } from './timeline'
import { MOVEMENTS, type CarriedState, type RevenueDayRow, type RevenueResponse } from './types'

export type { FeatureFirstUse } from './conversion'
export type { WindowUse } from './feature-revenue'

export type RevenueInput = {
  /** The period's first and last day, both included. */
  from: string
  to: string
  /** The first day `rows` cover (≤ from: analysisStart), and each user's state before it. */
  windowFrom: string
  carried: CarriedState[]
  rows: RevenueDayRow[]
  /** Month (YYYY-MM) → users active in it, within the period. */
  active: Map<string, Set<string>>
  /** Each feature's users in the period and the first day they used it. */
  featureUses: FeatureFirstUse
  /** The same from each user's first churn in the period (at-risk.ts). */
  afterChurnUses: FeatureFirstUse
  /** The same from each first-seen user's first day with a tier, when they visited before it. */
  afterSignupUses: FeatureFirstUse
  /** Users first seen (first active day) in the period → that day. */
  firstSeen: Map<string, string>
  /** Features used in the window before each upgrade of the period. */
  windowUses: WindowUse[]
}

export type RevenueReport = Omit<RevenueResponse, 'period' | 'currency' | 'filters'>

/**
 * The first day the rows must reach back to: the period's, or earlier so that LTV has its
 * trailing 6 complete months before the period's end.
 */
export function analysisStart(from: string, to: string): string {
  const lastWhole = monthEnd(monthOf(to)) === to ? monthOf(to) : monthStart(monthOf(to), -1)
  const start = monthStart(lastWhole.slice(0, 7), -(TRAILING_MONTHS - 1))
  return start < from ? start : from
}

export function revenueReport(input: RevenueInput): RevenueReport {
  const { from, to } = input
  const users = userHistories(input.carried, input.rows)
  const histories = [...users.values()]
  const period = dailySeries(histories, from, to)
  const months = monthsOf(period).map((m) =>
    monthAnswer(m, activeUsers(m, input.active.get(m.month), histories)),
  )
  const windowMonths = monthsOf(dailySeries(histories, input.windowFrom, to))
  const total = totalOf(monthsOf(period), period.start_mrr, period.start_customers)
  const cohorts = paidCohorts(histories, from, to)
  const observed = observedCohorts(cohorts, to)
  const allActive = new Set<string>()
  for (const set of input.active.values()) for (const uid of set) allActive.add(uid)
  const last = months[months.length - 1]
  const { mrr_start, mrr } = mrrChange(period)
  return {
    mrr_start,
    mrr,
    movements: movementUnits(total),
    months,
    daily: dayPoints(period),
    metrics: {
      subscription_upgrades: subscriptionUpgrades(histories, from, to),
      feature_adoption: featureAdoption(payingUsers(histories, from, to), input.featureUses),
      user_retention: { cohorts: retentionCohorts(cohorts, to) },
      customer_lifetime_value: lifetimeValue(
        windowMonths,
        cohorts.map((c) => c.members),
        observed,
        to,
      ),
      churn_rate: {
        customer: fraction(customerChurnRate(total)),
        gross_mrr: fraction(grossMrrChurnRate(total)),
        net_mrr: fraction(netMrrChurnRate(total)),
        churned_customers: total.churned_customers,
        customers_start: total.customers_start,
        new_customers: total.new_customers + total.reactivated_customers,
      },
      revenue_per_user: {
        arpu: last?.arpu ?? null,
        arppu: last?.arppu ?? null,
        mrr,
        quick_ratio: fraction(quickRatio(total)),
      },
      upgrade_conversion: upgradeConversion({ ...input, users, active: allActive }),
      feature_revenue: featureRevenue(histories, input.windowUses, from, to),
    },
  }
}

/** The whole period as one span, in cents. */
function totalOf(months: MonthCents[], mrr_start: number, customers_start: number): MonthCents {
  const t: MonthCents = {
    month: '',
    from: months[0]?.from ?? '',
    to: months[months.length - 1]?.to ?? '',
    new: 0,
    expansion: 0,
    contraction: 0,
    churn: 0,
    reactivation: 0,
    mrr_start,
    mrr: mrr_start,
    customers_start,
    customers: customers_start,
    new_customers: 0,
    reactivated_customers: 0,
    churned_customers: 0,
    charged: 0,
    refunded: 0,
  }
  for (const m of months) {
    for (const k of MOVEMENTS) t[k] += m[k]
    t.new_customers += m.new_customers
    t.reactivated_customers += m.reactivated_customers
    t.churned_customers += m.churned_customers
    t.charged += m.charged
    t.refunded += m.refunded
    t.mrr = m.mrr
    t.customers = m.customers
  }
  return t
}
