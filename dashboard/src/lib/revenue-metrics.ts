/**
 * The eight revenue metrics of DESIGN §7.9 as cards: the value shown, a line under it and the
 * definition a person reads on hover (docs/formulas.md §7.9 in one sentence each). A metric the
 * API answers with null shows "–", and the line under it says why there is no number.
 */
import type { RevenueResponse } from '../api/types'
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  humanize,
} from './format'

export type MetricCard = {
  key: string
  label: string
  value: string
  hint: string
  definition: string
}

type Cohort = RevenueResponse['metrics']['user_retention']['cohorts'][number]

/**
 * Month-1 retention pooled over the cohorts old enough to have a month 1: Σ retained[1] /
 * Σ size. Null when no cohort is a month old within the period.
 */
export function monthOneRetention(cohorts: readonly Cohort[]) {
  const old = cohorts.filter((c) => c.retained.length > 1)
  const size = old.reduce((s, c) => s + c.size, 0)
  const retained = old.reduce((s, c) => s + c.retained[1], 0)
  return { cohorts: old.length, size, retained, rate: size ? retained / size : null }
}

export function metricCards(d: RevenueResponse): MetricCard[] {
  const m = d.metrics
  const money = (x: number | null | undefined) => formatMoney(x, d.currency)
  const topAdoption = m.feature_adoption.features[0]
  const topConversion = m.upgrade_conversion.features.find((f) => f.difference !== null)
  const topRevenue = [...m.feature_revenue.features].sort(
    (a, b) => b.first_touch - a.first_touch,
  )[0]
  const month1 = monthOneRetention(m.user_retention.cohorts)
  const ltv = m.customer_lifetime_value
  const churn = m.churn_rate
  const rpu = m.revenue_per_user
  const conv = m.upgrade_conversion
  return [
    {
      key: 'subscription_upgrades',
      label: 'Subscription upgrades',
      value: formatCount(m.subscription_upgrades.count),
      hint: `${money(m.subscription_upgrades.mrr_added)} MRR added`,
      definition:
        'Days a paying customer moved to a dearer plan (subscription_upgraded), and the MRR it added, by from → to tier.',
    },
    {
      key: 'feature_adoption',
      label: 'Feature adoption (paying)',
      value: formatPercent(topAdoption?.adoption),
      hint: topAdoption
        ? `${humanize(topAdoption.feature)}, of ${formatCount(m.feature_adoption.paying_users)} paying users`
        : m.feature_adoption.paying_users
          ? 'no paying user used a feature'
          : 'nobody paid in this period',
      definition:
        'Of the users who paid at some time in the period, the share who used each feature in it (the most used shown).',
    },
    {
      key: 'user_retention',
      label: 'Paying-user retention',
      value: formatPercent(month1.rate),
      hint:
        month1.rate === null
          ? m.user_retention.cohorts.length
            ? 'no cohort is a month old yet'
            : 'no customer first paid in this period'
          : `after 1 month, ${formatCount(month1.retained)} of ${formatCount(month1.size)} customers`,
      definition:
        'Customers grouped by the month they first paid; the share still paying at the end of each later month. The card pools month 1 over the cohorts that have one.',
    },
    {
      key: 'customer_lifetime_value',
      label: 'Lifetime value',
      value: money(ltv.ltv),
      hint:
        ltv.ltv !== null
          ? `ARPPU ${money(ltv.arppu)} / churn ${formatPercent(ltv.monthly_churn_rate)} a month`
          : ltv.arppu === null
            ? 'nobody paid in the trailing 6 months'
            : 'no customer churned in the trailing 6 months',
      definition: `ARPPU / monthly customer churn over the trailing ${ltv.trailing_months.length || 6} months; observed: revenue so far per customer of the cohorts that began in the period (${money(ltv.observed.revenue_per_customer)}).`,
    },
    {
      key: 'churn_rate',
      label: 'Customer churn',
      value: formatPercent(churn.customer),
      hint:
        churn.customer === null
          ? 'no customers at the start and none started'
          : churn.gross_mrr === null
            ? 'MRR churn –: no MRR at the start'
            : `gross MRR ${formatPercent(churn.gross_mrr)}, net ${formatPercent(churn.net_mrr)}`,
      definition:
        "Stripe's: customers who churned / (customers at the start + customers who started). Gross MRR churn: (churn + contraction) / MRR at the start; net subtracts expansion and reactivation. No MRR at the start: gross and net are –.",
    },
    {
      key: 'revenue_per_user',
      label: 'ARPU / ARPPU',
      value: `${money(rpu.arpu)} / ${money(rpu.arppu)}`,
      hint:
        rpu.quick_ratio === null
          ? 'quick ratio –: no contraction or churn'
          : `quick ratio ${formatNumber(rpu.quick_ratio, 2)}`,
      definition:
        'ARPU: MRR / active users; ARPPU: MRR / paying customers. Quick ratio: (new + expansion + reactivation) / (contraction + churn).',
    },
    {
      key: 'upgrade_conversion',
      label: 'Upgrade conversion',
      value: formatPercent(conv.rate),
      hint:
        conv.rate === null
          ? 'no free user in this period'
          : topConversion
            ? `${humanize(topConversion.feature)} users ${formatPoints(topConversion.difference)}`
            : `${formatCount(conv.converted)} of ${formatCount(conv.n)} free users`,
      definition:
        "Free users of the period who started paying in it; per feature, its users against its non-users, with the difference's 95% Newcombe interval and lift.",
    },
    {
      key: 'feature_revenue',
      label: 'Feature revenue',
      value: money(topRevenue?.first_touch),
      hint: topRevenue
        ? `${humanize(topRevenue.feature)}, first touch`
        : m.feature_revenue.upgrades
          ? 'no upgrade followed a feature use'
          : 'no upgrades in this period',
      definition: `MRR of upgrades whose user used the feature in the ${m.feature_revenue.window_days} days before: first touch, and shared equally.`,
    },
  ]
}
