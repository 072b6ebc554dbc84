/**
 * The months before the activity window, told by the billing system alone (revenue events):
 * the bank launched its paid plans when the history starts, so every subscription in the data
 * begins with `subscription_started`. Since then a stream of new subscriptions has come in,
 * growing by GROWTH a month into the window's own rate (new signups paying at once and free
 * users converting), and each plan ends at its tier's PLAN_CHURN. Whoever of that stream is
 * still paying when the window opens is an existing customer of the window, so their start
 * dates are the survivors' (customerHistory): the later, the likelier. Some came back after
 * cancelling (a reactivation), some changed tier on the way, a few had a charge refunded.
 * The rest of the stream left before the window: former customers in revenue only, and
 * existing free users who once paid (lapsed).
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
/**
 * Monthly growth of the stream of new subscriptions. With PLAN_CHURN and the paying base at the
 * window's start (profile.ts) it gives the history's last month about as many new
 * subscriptions as the window (seed 42: 224 against 222), so revenue and MRR run on smoothly.
 */
export const GROWTH = 0.1
/** Former customers per demo user (the stream's leavers), and how many of them had CHURN_TIER. */
export const FORMER_SHARE = 0.05
const FORMER_PLUS = 0.93
/** Existing free users who once paid and cancelled. */
const LAPSED_SHARE = 0.07
/** Existing paying customers who cancelled once in the history and came back, by churn. */
const COMEBACK_SHARE = { plus: 0.08, premium: 0.01 } as const

const REASONS = { too_expensive: 3, missing_features: 2, switching_bank: 1, not_using: 2 }

export function cancelReason(rng: Rng): string {
  return rng.weighted(REASONS)
}

/** Writes an existing customer's billing up to the window's start, ending on `tier`. */
export function customerHistory(billing: Billing, rng: Rng, h: HistoryWindow, tier: Tier): void {
  const span = h.windowStart - h.start
  if (span < 30 * DAY_MS) return
  if (tier === 'free') {
    if (rng.chance(LAPSED_SHARE)) leaver(billing, rng, h, rng.chance(0.95) ? CHURN_TIER : 'premium')
    return
  }
  // A survivor of the stream: joined `age` before the window, the odds falling with age as
  // the stream was smaller then (GROWTH) and fewer of its plans are still running (churn).
  const age = truncatedExponential(rng, (GROWTH + PLAN_CHURN[tier]) / MONTH, span - 3 * DAY_MS)
  let start = h.windowStart - age
  const interval = billing.drawInterval()
  let first: Tier = tier
  if (interval === 'month' && tier === 'premium' && rng.chance(0.25)) first = 'plus'
  if (interval === 'month' && tier === 'plus' && rng.chance(0.04)) first = 'premium'
  billing.start(start, first, interval)
  const room = h.windowStart - start
  if (room > 40 * DAY_MS && rng.chance(COMEBACK_SHARE[first === 'premium' ? 'premium' : 'plus'])) {
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
  const key = `x-${k.toString(36)}`
  const tl = new Timeline(out, rng, w.siteId, w.now, key, demoUid(mixSeed(w.seed, k, 17), key))
  leaver(new Billing(tl, rng), rng, h, rng.chance(FORMER_PLUS) ? CHURN_TIER : 'premium')
}

/**
 * A user id as the bank's backend might send one: a pseudonym and the demo's key. Base 36 and
 * the underscore keep every digit run under 8, which the collector refuses as possible PII.
 */
export function demoUid(pseudonym: number, key: string): string {
  return `u_${pseudonym.toString(36)}_${key}`
}

const MONTH = 30 * DAY_MS

/** An age in [0, max) drawn with density ∝ e^(−rate·age). */
function truncatedExponential(rng: Rng, rate: number, max: number): number {
  return -Math.log(1 - rng.next() * (1 - Math.exp(-rate * max))) / rate
}

/**
 * One of the stream who left before the window: joined `age` before it (the stream's odds,
 * times the chance of having left since), stayed a lifetime of the tier's churn (shorter than
 * `age`), and cancelled.
 */
function leaver(billing: Billing, rng: Rng, h: HistoryWindow, tier: Tier): void {
  const churn = PLAN_CHURN[tier === 'premium' ? 'premium' : 'plus'] / MONTH
  const max = h.windowStart - h.start - 2 * DAY_MS
  // By rejection; should every draw miss, the oldest start, the likeliest to have left.
  let age = max
  for (let i = 0; i < 50; i++) {
    const a = truncatedExponential(rng, GROWTH / MONTH, max)
    if (rng.chance((1 - Math.exp(-churn * a)) / (1 - Math.exp(-churn * max)))) {
      age = Math.max(a, 2 * DAY_MS)
      break
    }
  }
  const start = h.windowStart - age
  const lifetime = truncatedExponential(rng, churn, age - DAY_MS)
  billing.start(start, tier, 'month')
  billing.renewUntil(start + lifetime)
  billing.cancel(start + lifetime, cancelReason(rng))
}
