/**
 * MRR and its movements per day and per month, in integer cents, from the users' histories. For
 * any span, mrr_end − mrr_start = new + expansion + contraction + churn + reactivation exactly
 * (contraction and churn counted negative): each user's changes telescope, and integer sums
 * are exact.
 */
import { customerChurnRate, grossMrrChurnRate, netMrrChurnRate, quickRatio } from './churn'
import { daysBetween, fraction, monthOf, units } from './calendar'
import { mrrAt, mrrBefore, type UserHistory } from './timeline'
import { MOVEMENTS, type Movements, type RevenueDayPoint, type RevenueMonth } from './types'

/** One day, in cents and counts. */
export type DayCents = Movements & {
  day: string
  mrr: number
  customers: number
  new_customers: number
  reactivated_customers: number
  churned_customers: number
  charged: number
  refunded: number
}

export type Series = { start_mrr: number; start_customers: number; days: DayCents[] }

const zeroMovements = (): Movements => ({
  new: 0,
  expansion: 0,
  contraction: 0,
  churn: 0,
  reactivation: 0,
})

/** Every day from `from` to `to` (both included): the day's movements, and MRR at its end. */
export function dailySeries(users: Iterable<UserHistory>, from: string, to: string): Series {
  const days = daysBetween(from, to).map((day): DayCents => ({
    day,
    ...zeroMovements(),
    mrr: 0,
    customers: 0,
    new_customers: 0,
    reactivated_customers: 0,
    churned_customers: 0,
    charged: 0,
    refunded: 0,
  }))
  const index = new Map(days.map((d, i) => [d.day, i]))
  let start_mrr = 0
  let start_customers = 0
  for (const h of users) {
    const before = mrrBefore(h, from)
    start_mrr += before
    if (before > 0) start_customers++
    for (const c of h.changes) {
      const i = index.get(c.day)
      if (i === undefined) continue
      const d = days[i]
      d[c.movement] += c.after - c.before
      if (c.movement === 'new') d.new_customers++
      if (c.movement === 'reactivation') d.reactivated_customers++
      if (c.movement === 'churn') d.churned_customers++
    }
    for (const p of h.payments) {
      const i = index.get(p.day)
      if (i === undefined) continue
      days[i].charged += p.charged
      days[i].refunded += p.refunded
    }
  }
  let mrr = start_mrr
  let customers = start_customers
  for (const d of days) {
    for (const m of MOVEMENTS) mrr += d[m]
    customers += d.new_customers + d.reactivated_customers - d.churned_customers
    d.mrr = mrr
    d.customers = customers
  }
  return { start_mrr, start_customers, days }
}

export function dayPoints(s: Series): RevenueDayPoint[] {
  return s.days.map((d) => ({
    day: d.day,
    mrr: units(d.mrr),
    customers: d.customers,
    ...movementUnits(d),
    revenue: units(d.charged - d.refunded),
  }))
}

export function movementUnits(m: Movements): Movements {
  return {
    new: units(m.new),
    expansion: units(m.expansion),
    contraction: units(m.contraction),
    churn: units(m.churn),
    reactivation: units(m.reactivation),
  }
}

/** A month of the series, in cents and counts, before it is answered in units. */
export type MonthCents = Movements & {
  month: string
  from: string
  to: string
  mrr_start: number
  mrr: number
  customers_start: number
  customers: number
  new_customers: number
  reactivated_customers: number
  churned_customers: number
  charged: number
  refunded: number
}

/** The series' days grouped by calendar month; the first and last may be partial. */
export function monthsOf(s: Series): MonthCents[] {
  const months: MonthCents[] = []
  let mrr = s.start_mrr
  let customers = s.start_customers
  for (const d of s.days) {
    let m = months[months.length - 1]
    if (!m || m.month !== monthOf(d.day)) {
      m = {
        month: monthOf(d.day),
        from: d.day,
        to: d.day,
        ...zeroMovements(),
        mrr_start: mrr,
        mrr,
        customers_start: customers,
        customers,
        new_customers: 0,
        reactivated_customers: 0,
        churned_customers: 0,
        charged: 0,
        refunded: 0,
      }
      months.push(m)
    }
    m.to = d.day
    for (const k of MOVEMENTS) m[k] += d[k]
    m.new_customers += d.new_customers
    m.reactivated_customers += d.reactivated_customers
    m.churned_customers += d.churned_customers
    m.charged += d.charged
    m.refunded += d.refunded
    m.mrr = mrr = d.mrr
    m.customers = customers = d.customers
  }
  return months
}

/** Users active in each month, or paying at its end (ARPU's denominator). */
export function activeUsers(
  m: MonthCents,
  active: ReadonlySet<string> | undefined,
  users: Iterable<UserHistory>,
): number {
  let n = active?.size ?? 0
  for (const h of users) if (!active?.has(h.uid) && mrrAt(h, m.to) > 0) n++
  return n
}

/** A month as answered: amounts in units, the rates of §7.9 for the month. */
export function monthAnswer(m: MonthCents, activeUsersCount: number): RevenueMonth {
  const daysInMonth = new Date(Date.UTC(+m.month.slice(0, 4), +m.month.slice(5, 7), 0)).getUTCDate()
  const whole = m.from.endsWith('-01') && Number(m.to.slice(8)) === daysInMonth
  return {
    month: m.month,
    from: m.from,
    to: m.to,
    partial: !whole,
    mrr_start: units(m.mrr_start),
    mrr: units(m.mrr),
    net_change: units(m.mrr - m.mrr_start),
    ...movementUnits(m),
    customers_start: m.customers_start,
    customers: m.customers,
    new_customers: m.new_customers,
    reactivated_customers: m.reactivated_customers,
    churned_customers: m.churned_customers,
    revenue: units(m.charged - m.refunded),
    refunds: units(m.refunded),
    active_users: activeUsersCount,
    arpu: activeUsersCount > 0 ? units(m.mrr / activeUsersCount) : null,
    arppu: m.customers > 0 ? units(m.mrr / m.customers) : null,
    customer_churn_rate: fraction(customerChurnRate(m)),
    gross_mrr_churn_rate: fraction(grossMrrChurnRate(m)),
    net_mrr_churn_rate: fraction(netMrrChurnRate(m)),
    quick_ratio: fraction(quickRatio(m)),
  }
}

/**
 * MRR when the span began and at its end, with the change, in currency units: the figures of
 * `/revenue` (`mrr_start`, `mrr`) and of the overview's MRR KPI. The change is taken in cents,
 * so it is exactly the sum of the span's movements.
 */
export function mrrChange(s: Series): { mrr_start: number; mrr: number; mrr_change: number } {
  const end = s.days.length ? s.days[s.days.length - 1].mrr : s.start_mrr
  return { mrr_start: units(s.start_mrr), mrr: units(end), mrr_change: units(end - s.start_mrr) }
}
