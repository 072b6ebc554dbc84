/**
 * Paying-user cohorts (DESIGN §7.9): customers grouped by the month of their first payment
 * (MRR > 0 for the first time), for the cohorts that began in the period.
 *
 * Retention: retained[k] = members paying at the end of the k-th month after the cohort's
 * (k = 0: the cohort's own month), the last month counted to the period's last day; rate =
 * retained[k] / size (ChartMogul's customer retention cohorts).
 * Observed lifetime value: cumulative revenue (charged − refunded) per member by the end of
 * month k — what the customers of a cohort have actually paid so far.
 */
import { rate } from '../numbers'
import { fraction, monthEnd, monthOf, monthsApart, monthStart, units } from './calendar'
import { mrrAt, type UserHistory } from './timeline'
import type { ObservedCohort, RetentionCohort } from './types'

type Cohort = { month: string; members: UserHistory[] }

export function paidCohorts(users: Iterable<UserHistory>, from: string, to: string): Cohort[] {
  const byMonth = new Map<string, UserHistory[]>()
  for (const h of users) {
    const first = h.first_paid_day
    if (first === null || first < from || first > to) continue
    const month = monthOf(first)
    byMonth.set(month, [...(byMonth.get(month) ?? []), h])
  }
  return [...byMonth]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([month, members]) => ({ month, members }))
}

/** The last day of month k of a cohort, capped at the period's last day. */
function endOf(cohort: string, k: number, to: string): string {
  const end = monthEnd(monthStart(cohort, k).slice(0, 7))
  return end < to ? end : to
}

function ages(cohort: string, to: string): number {
  return monthsApart(cohort, monthOf(to)) + 1
}

export function retentionCohorts(cohorts: Cohort[], to: string): RetentionCohort[] {
  return cohorts.map(({ month, members }) => {
    const retained = Array.from({ length: ages(month, to) }, (_, k) => {
      const end = endOf(month, k, to)
      return members.filter((h) => mrrAt(h, end) > 0).length
    })
    return {
      cohort: month,
      size: members.length,
      retained,
      rates: retained.map((n) => fraction(rate(n, members.length))),
    }
  })
}

export function observedCohorts(cohorts: Cohort[], to: string): ObservedCohort[] {
  return cohorts.map(({ month, members }) => {
    const start = monthStart(month)
    const revenue_per_customer = Array.from({ length: ages(month, to) }, (_, k) => {
      const end = endOf(month, k, to)
      let cents = 0
      for (const h of members) cents += paidBetween(h, start, end)
      return units(cents / members.length)
    })
    return { cohort: month, size: members.length, revenue_per_customer }
  })
}

/** Charged − refunded (cents) from `from` to `to`, both included. */
export function paidBetween(h: UserHistory, from: string, to: string): number {
  let cents = 0
  for (const p of h.payments) if (p.day >= from && p.day <= to) cents += p.charged - p.refunded
  return cents
}
