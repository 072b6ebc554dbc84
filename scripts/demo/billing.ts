/**
 * The bank's billing system as the demo tells it: `revenue` events in the names of DESIGN §7.9,
 * sent by the backend. A plan is monthly (renews every 30 days) or yearly (10 months' price,
 * renews after 365 days); a tier change restarts the billing period at the new price. A few
 * charges are refunded within days (a negative value), the plan unchanged.
 */
import { DAY_MS, PRICES, type Tier } from './catalog'
import type { Rng } from './random'
import type { Timeline } from './timeline'

export type Interval = 'month' | 'year'
/** What a paying user pays for, and when it charges next. */
export type Plan = { tier: Tier; interval: Interval; next: number }

export const MONTH_MS = 30 * DAY_MS
export const YEAR_MS = 365 * DAY_MS
/** Share of new paid plans taken yearly. */
export const YEARLY_SHARE = 0.12
/** Chance a charge is refunded. */
const REFUND_CHANCE = 0.015

export function priceOf(tier: Tier, interval: Interval): number {
  return interval === 'year' ? Math.round(PRICES[tier] * 10 * 100) / 100 : PRICES[tier]
}

export class Billing {
  plan: Plan | null = null

  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
  ) {}

  /** A new subscription (also a comeback after a cancellation, or free → paid). */
  start(at: number, tier: Tier, interval: Interval = this.drawInterval()): void {
    this.charge(at, 'subscription_started', tier, interval)
  }

  /** To a dearer tier (upgraded) or a cheaper one (downgraded), charged at once. */
  change(at: number, tier: Tier): void {
    const plan = this.plan
    if (!plan || plan.tier === tier) return
    const up = PRICES[tier] > PRICES[plan.tier]
    this.charge(at, up ? 'subscription_upgraded' : 'subscription_downgraded', tier, plan.interval)
  }

  /** Every renewal due up to `until`. */
  renewUntil(until: number): void {
    while (this.plan && this.plan.next <= until) {
      const { tier, interval, next } = this.plan
      this.charge(next, 'subscription_renewed', tier, interval)
    }
  }

  /** The plan ends now; the user keeps a free account (tier after the event: free). */
  cancel(at: number, reason: string): void {
    if (!this.plan) return
    this.tl.emitServerAt(at, 'revenue', {
      name: 'subscription_cancelled',
      tier: 'free',
      value: 0,
      currency: 'USD',
      reason,
      props: { interval: this.plan.interval },
    })
    this.plan = null
  }

  drawInterval(): Interval {
    return this.rng.chance(YEARLY_SHARE) ? 'year' : 'month'
  }

  private charge(at: number, name: string, tier: Tier, interval: Interval): void {
    const value = priceOf(tier, interval)
    this.tl.emitServerAt(at, 'revenue', {
      name,
      tier,
      value,
      currency: 'USD',
      props: { interval },
    })
    this.plan = { tier, interval, next: at + (interval === 'year' ? YEAR_MS : MONTH_MS) }
    if (this.rng.chance(REFUND_CHANCE)) {
      this.tl.emitServerAt(at + this.rng.between(1, 4) * DAY_MS, 'revenue', {
        name: 'refund',
        tier,
        value: -value,
        currency: 'USD',
        props: { interval },
      })
    }
  }
}
