/**
 * Each user's subscription as a sequence of MRR changes (DESIGN §7.9), from the rows of
 * `rollup_revenue_days` and the state each user carried into the first day. Every change is one
 * of ChartMogul's five MRR movements, sized after − before in integer cents, so that per user
 * (and so per site) the movements of any span add up to the MRR at its end minus the MRR at its
 * start, exactly: the sum telescopes.
 */
import type { CarriedState, Movement, RevenueDayRow } from './types'

/** One day on which a user's MRR changed. */
export type MrrChange = {
  day: string
  /** MRR before and after the day, cents. */
  before: number
  after: number
  tier_before: string
  tier_after: string
  movement: Movement
  /** The day had a subscription_upgraded / subscription_started event. */
  upgraded: boolean
  started: boolean
}

export type UserHistory = {
  uid: string
  /** MRR (cents) and tier before the timeline's first day. */
  start_cents: number
  start_tier: string
  /** The first day the user paid (MRR > 0), before or during the timeline; null: never. */
  first_paid_day: string | null
  changes: MrrChange[]
  /** Amounts of the days that charged or refunded something, cents. */
  payments: { day: string; charged: number; refunded: number }[]
}

/**
 * ChartMogul's MRR movements (help.chartmogul.com, "MRR movements"): from no MRR to some is
 * `new` for a customer's first subscription and `reactivation` for one who paid before and
 * churned; from some to none is `churn` (the last subscription ended); a rise is `expansion`,
 * a fall `contraction`. Null when the MRR did not change.
 */
export function movementOf(before: number, after: number, paidBefore: boolean): Movement | null {
  if (before === after) return null
  if (before === 0) return paidBefore ? 'reactivation' : 'new'
  if (after === 0) return 'churn'
  return after > before ? 'expansion' : 'contraction'
}

/**
 * Walks each user's days in order. A day without a subscription event (mrr_cents null: only a
 * refund or a one-off charge) leaves the MRR as it was; a subscription lasts until a
 * `subscription_cancelled` ends it.
 */
export function userHistories(
  carried: CarriedState[],
  rows: RevenueDayRow[],
): Map<string, UserHistory> {
  const users = new Map<string, UserHistory>()
  for (const c of carried) {
    users.set(c.uid, {
      uid: c.uid,
      start_cents: c.mrr_cents,
      start_tier: c.tier,
      first_paid_day: c.first_paid_day,
      changes: [],
      payments: [],
    })
  }
  const sorted = [...rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  const state = new Map<string, { mrr: number; tier: string }>()
  for (const r of sorted) {
    let h = users.get(r.uid)
    if (!h) {
      h = {
        uid: r.uid,
        start_cents: 0,
        start_tier: 'free',
        first_paid_day: null,
        changes: [],
        payments: [],
      }
      users.set(r.uid, h)
    }
    const now = state.get(r.uid) ?? { mrr: h.start_cents, tier: h.start_tier }
    if (r.charged_cents || r.refunded_cents) {
      h.payments.push({ day: r.day, charged: r.charged_cents, refunded: r.refunded_cents })
    }
    if (r.mrr_cents === null) continue
    const paidBefore = h.first_paid_day !== null && h.first_paid_day < r.day
    const movement = movementOf(now.mrr, r.mrr_cents, paidBefore)
    if (movement) {
      h.changes.push({
        day: r.day,
        before: now.mrr,
        after: r.mrr_cents,
        tier_before: now.tier,
        tier_after: r.tier,
        movement,
        upgraded: r.upgraded > 0,
        started: r.started > 0,
      })
    }
    if (r.mrr_cents > 0 && h.first_paid_day === null) h.first_paid_day = r.day
    state.set(r.uid, { mrr: r.mrr_cents, tier: r.tier })
  }
  return users
}

/** The user's MRR (cents) at the end of `day`. */
export function mrrAt(h: UserHistory, day: string): number {
  let mrr = h.start_cents
  for (const c of h.changes) {
    if (c.day > day) break
    mrr = c.after
  }
  return mrr
}

/** The user's MRR (cents) at the start of `day`, i.e. at the end of the day before. */
export function mrrBefore(h: UserHistory, day: string): number {
  let mrr = h.start_cents
  for (const c of h.changes) {
    if (c.day >= day) break
    mrr = c.after
  }
  return mrr
}
