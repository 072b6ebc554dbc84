/**
 * The months before the activity window, told by the billing system alone (revenue events):
 * the bank launched its paid plans when the history starts, so every subscription in the data
 * begins with `subscription_started`. An existing customer's history ends on the tier they
 * have when the window opens; some came back after cancelling (a reactivation), some changed
 * tier on the way, a few had a charge refunded. Former customers subscribed and left before
 * the window, so they appear in revenue only.
 *
 * Planted (scripts/demo/catalog.ts names the signals): `plus` churns clearly above `premium`
 * — former customers are mostly plus, and in the window plus plans are cancelled at
 * PLAN_CHURN.plus a month against premium's PLAN_CHURN.premium.
 */
import { CHURN_TIER, DAY_MS, type Tier } from './catalog'
import { Billing } from './billing'
import { mixSeed, Rng } from './random'
import { Timeline } from './timeline'
import type { EventRow } from '../../worker/schemas'

export type HistoryWindow = { start: number; windowStart: number }

/** Monthly chance a paid plan is cancelled by tier (the window's churn hazard uses these). */
export const PLAN_CHURN = { plus: 0.09, premium: 0.025 } as const
/** Former customers per demo user, and how many of them had CHURN_TIER. */
export const FORMER_SHARE = 0.035
const FORMER_PLUS = 0.93
/** Existing free users who once paid and cancelled. */
const LAPSED_SHARE = 0.07
/** Existing paying customers who cancelled once in the history and came back. */
const COMEBACK_SHARE = 0.08

const REASONS = { too_expensive: 3, missing_features: 2, switching_bank: 1, not_using: 2 }

export function cancelReason(rng: Rng): string {
  return rng.weighted(REASONS)
}

/** Writes an existing customer's billing up to the window's start, ending on `tier`. */
export function customerHistory(billing: Billing, rng: Rng, h: HistoryWindow, tier: Tier): void {
  const span = h.windowStart - h.start
  if (span < 30 * DAY_MS) return
  if (tier === 'free') {
    if (!rng.chance(LAPSED_SHARE)) return
    const start = h.start + Math.pow(rng.next(), 1.6) * (span - 20 * DAY_MS)
    billing.start(start, rng.chance(0.95) ? CHURN_TIER : 'premium', 'month')
    const end = Math.min(
      start + 10 * DAY_MS + rng.exponential(1 / (60 * DAY_MS)),
      h.windowStart - DAY_MS,
    )
    billing.renewUntil(end)
    billing.cancel(end, cancelReason(rng))
    return
  }
  // More customers early on: the launch brought the base, later months add to it.
  let start = h.start + Math.pow(rng.next(), 1.5) * (span - 3 * DAY_MS)
  const interval = billing.drawInterval()
  let first: Tier = tier
  if (interval === 'month' && tier === 'premium' && rng.chance(0.35)) first = 'plus'
  if (interval === 'month' && tier === 'plus' && rng.chance(0.12)) first = 'premium'
  billing.start(start, first, interval)
  const room = h.windowStart - start
  if (room > 40 * DAY_MS && rng.chance(COMEBACK_SHARE)) {
    const end = rng.between(start + 20 * DAY_MS, h.windowStart - 15 * DAY_MS)
    billing.renewUntil(end)
    billing.cancel(end, cancelReason(rng))
    start = rng.between(end + 7 * DAY_MS, h.windowStart - DAY_MS)
    billing.start(start, first, interval)
  }
  if (first !== tier && h.windowStart - start > 2 * DAY_MS) {
    const at = rng.between(start + DAY_MS, h.windowStart - DAY_MS)
    billing.renewUntil(at)
    billing.change(at, tier)
  }
  billing.renewUntil(h.windowStart)
}

/** How many former customers a demo of `users` users has. */
export function formerCustomers(users: number): number {
  return Math.round(users * FORMER_SHARE)
}

/** A customer who subscribed after the launch and cancelled before the window opened. */
export function tellFormerCustomer(
  w: { siteId: string; seed: number; now: number },
  h: HistoryWindow,
  k: number,
  out: EventRow[],
): void {
  const span = h.windowStart - h.start
  if (span < 30 * DAY_MS) return
  const rng = new Rng(mixSeed(w.seed, k, 13))
  const pseudonym = mixSeed(w.seed, k, 17).toString(16).padStart(8, '0')
  const key = `x-${k.toString(36)}`
  const tl = new Timeline(out, rng, w.siteId, w.now, key, `u_${pseudonym}${key}`)
  const billing = new Billing(tl, rng)
  // Early starts are likelier: a late one would have had to leave within days.
  const start = h.start + Math.pow(rng.next(), 1.6) * (span - 20 * DAY_MS)
  billing.start(start, rng.chance(FORMER_PLUS) ? CHURN_TIER : 'premium', 'month')
  // A lifetime of about six weeks, inside the history: they left before the window.
  let end = start + 5 * DAY_MS + rng.exponential(1 / (45 * DAY_MS))
  if (end >= h.windowStart - DAY_MS) end = rng.between(start + 5 * DAY_MS, h.windowStart - DAY_MS)
  billing.renewUntil(end)
  billing.cancel(end, cancelReason(rng))
}
