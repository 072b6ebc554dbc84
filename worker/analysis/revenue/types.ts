/**
 * The shapes of revenue analytics (DESIGN §7.9): the rows the pure functions read (one per site,
 * day and user from `rollup_revenue_days`, migrations/0014) and what `GET /v1/sites/:site/revenue`
 * answers. Amounts are in the site's currency (never summed across currencies): computed in
 * integer cents so that the five movements add up to the change in MRR exactly, answered as
 * currency units with two decimals. Rates are fractions 0–1; null means no data.
 */

/** The five MRR movements as ChartMogul names them. */
export const MOVEMENTS = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const
export type Movement = (typeof MOVEMENTS)[number]

/** One user's subscription on one day, as the rollup keeps it (amounts in cents). */
export type RevenueDayRow = {
  day: string // YYYY-MM-DD, UTC
  uid: string
  /** Tier after the day's last subscription event (else of its last revenue event). */
  tier: string
  /** MRR after the day, cents; null: no subscription event that day (the state carries on). */
  mrr_cents: number | null
  interval: 'month' | 'year' | null
  /** Amounts charged that day (every name but refund), cents. */
  charged_cents: number
  /** Amounts given back that day (refunds, as a positive number), cents. */
  refunded_cents: number
  /** Counts of the day's events by name. */
  started: number
  upgraded: number
  downgraded: number
  cancelled: number
}

/** A user's subscription just before the first day the timeline walks. */
export type CarriedState = {
  uid: string
  tier: string
  mrr_cents: number
  /** The first day the user paid (MRR > 0), if they ever did before. */
  first_paid_day: string | null
}

/** The movements of one day or month, in currency units; contraction and churn are ≤ 0. */
export type Movements = Record<Movement, number>

export type RevenueDayPoint = Movements & {
  day: string
  /** MRR at the end of the day. */
  mrr: number
  /** Paying customers (MRR > 0) at the end of the day. */
  customers: number
  /** Charged minus refunded that day. */
  revenue: number
}

export type RevenueMonth = Movements & {
  month: string // YYYY-MM
  /** The days of the month inside the period (the first and last month may be partial). */
  from: string
  to: string
  partial: boolean
  mrr_start: number
  /** MRR at the end of the month's last day in the period. */
  mrr: number
  /** mrr − mrr_start, = new + expansion + contraction + churn + reactivation exactly. */
  net_change: number
  customers_start: number
  customers: number
  new_customers: number
  reactivated_customers: number
  churned_customers: number
  /** Charged minus refunded in the month. */
  revenue: number
  refunds: number
  /** Users active in the month (any non-revenue event) or paying at its end. */
  active_users: number
  /** mrr / active_users. */
  arpu: number | null
  /** mrr / customers. */
  arppu: number | null
  /** Stripe: churned_customers / (customers_start + new_customers + reactivated_customers). */
  customer_churn_rate: number | null
  /** (|churn| + |contraction|) / mrr_start. */
  gross_mrr_churn_rate: number | null
  /** (|churn| + |contraction| − expansion − reactivation) / mrr_start; below 0 is net expansion. */
  net_mrr_churn_rate: number | null
  /** (new + expansion + reactivation) / (|contraction| + |churn|). */
  quick_ratio: number | null
}

export type UpgradePair = { from: string; to: string; count: number; mrr_added: number }

export type SubscriptionUpgrades = {
  /** Days a paying user moved to a dearer plan (`subscription_upgraded`). */
  count: number
  mrr_added: number
  by_pair: UpgradePair[]
}

export type FeatureAdoption = {
  /** Users paying (MRR > 0) at some time in the period. */
  paying_users: number
  features: { feature: string; users: number; adoption: number | null }[]
}

export type RetentionCohort = {
  cohort: string // YYYY-MM of the first paid day
  size: number
  /** retained[k]: members paying at the end of month k after the cohort's (k = 0: its own). */
  retained: number[]
  rates: (number | null)[]
}

export type UserRetention = { cohorts: RetentionCohort[] }

export type ObservedCohort = {
  cohort: string
  size: number
  /** Cumulative revenue (charged − refunded) per member by the end of month k. */
  revenue_per_customer: number[]
}

export type CustomerLifetimeValue = {
  /** arppu / monthly_churn_rate over the trailing months; null when churn is 0 or unknown. */
  ltv: number | null
  /** Σ month-end MRR / Σ month-end customers over the trailing months. */
  arppu: number | null
  /** Pooled Stripe churn over the trailing months. */
  monthly_churn_rate: number | null
  trailing_months: string[]
  observed: {
    customers: number
    /** Revenue so far per customer of the cohorts that began in the period. */
    revenue_per_customer: number | null
    cohorts: ObservedCohort[]
  }
}

export type ChurnRate = {
  /** Over the whole period, Stripe's denominator. */
  customer: number | null
  gross_mrr: number | null
  net_mrr: number | null
  churned_customers: number
  customers_start: number
  new_customers: number
}

export type RevenuePerUser = {
  arpu: number | null
  arppu: number | null
  mrr: number
  quick_ratio: number | null
}

export type ConversionGroup = { n: number; converted: number; rate: number | null }

export type FeatureConversion = {
  feature: string
  users: ConversionGroup
  non_users: ConversionGroup
  /** users.rate − non_users.rate. */
  difference: number | null
  /** Newcombe (1998) method 10, 95%. */
  interval: [number, number] | null
  /** users.rate / non_users.rate. */
  lift: number | null
}

export type UpgradeConversion = ConversionGroup & { features: FeatureConversion[] }

export type FeatureRevenue = {
  window_days: number
  /** Upgrades in the period (free → paid and to a dearer plan) and the MRR they added. */
  upgrades: number
  upgrade_mrr: number
  /** MRR of upgrades whose user used no feature in the window. */
  unattributed_mrr: number
  features: { feature: string; upgrades: number; first_touch: number; shared: number }[]
}

export type RevenueMetrics = {
  subscription_upgrades: SubscriptionUpgrades
  feature_adoption: FeatureAdoption
  user_retention: UserRetention
  customer_lifetime_value: CustomerLifetimeValue
  churn_rate: ChurnRate
  revenue_per_user: RevenuePerUser
  upgrade_conversion: UpgradeConversion
  feature_revenue: FeatureRevenue
}

/** `GET /v1/sites/:site/revenue`. */
export type RevenueResponse = {
  period: { from: string; to: string; days: number }
  currency: string
  filters: { tier: string | null; device: string | null; feature: string | null }
  mrr_start: number
  mrr: number
  /** Movements summed over the period. */
  movements: Movements
  months: RevenueMonth[]
  daily: RevenueDayPoint[]
  metrics: RevenueMetrics
}
