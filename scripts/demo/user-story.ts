/**
 * One user's month, day by day. A new user visits, signs up, goes through onboarding,
 * identity verification and account linking (each may fail; some retry in a later session),
 * then uses features in sessions, climbs the lifecycle stages, may upgrade, and may churn.
 * An existing customer starts linked and onboarded, with the subscription history of the
 * months before (subscription-history.ts). Plans renew by their interval (billing.ts); a
 * paying user who churns cancels the plan, and a few premium users step down to plus.
 */
import type { EventRow } from '../../worker/schemas'
import { Billing } from './billing'
import { DAY_MS, type Tier } from './catalog'
import { adoptForTier, drawProfile, type Profile } from './profile'
import { mixSeed, Rng } from './random'
import { Session } from './session'
import type { Flow } from './signup-flow'
import { customerHistory, demoUid, PLAN_CHURN } from './subscription-history'
import { Timeline, type Device, SESSION_GAP_MS } from './timeline'

/** `historyStart`: when the subscription history begins (at or before the window's start). */
export type World = {
  siteId: string
  seed: number
  now: number
  days: number
  historyStart: number
}

/** Monthly churn by tier before the user's own story changes it; paid plans: PLAN_CHURN. */
const MONTHLY_CHURN: Record<Tier, number> = { free: 0.1, ...PLAN_CHURN }
/** Each connection failure in this many days multiplies the churn hazard (up to 4×). */
const RECENT_FAILURE_DAYS = 14
/** Monthly chance a premium user on a monthly plan steps down to plus. */
const MONTHLY_DOWNGRADE = 0.03
/** UTC hour weights: the bank's customers are mostly in the Americas. */
const HOURS = [
  5, 4, 3, 2, 1.5, 1, 1, 1.2, 1.6, 2, 2.6, 3.2, 4, 4.5, 4.6, 4.4, 4.2, 4.2, 4.4, 4.6, 4.8, 5, 5.2,
  5.4,
]
const HOUR_WEIGHTS = Object.fromEntries(HOURS.map((w, h) => [String(h), w]))

export function tellUserStory(world: World, index: number, out: EventRow[]): void {
  new UserStory(world, index, out).tell()
}

class UserStory {
  private readonly rng: Rng
  private readonly tl: Timeline
  private readonly profile: Profile
  private readonly session: Session
  private readonly windowStart: number
  private readonly firstMidnight: number
  /** Billing draws come from a stream of their own, so the activity story stays as it was. */
  private readonly billingRng: Rng
  private readonly billing: Billing
  private done = false

  constructor(
    private readonly world: World,
    index: number,
    out: EventRow[],
  ) {
    this.rng = new Rng(mixSeed(world.seed, index))
    const key = index.toString(36)
    const uid = demoUid(mixSeed(world.seed, index, 7), key)
    this.tl = new Timeline(out, this.rng, world.siteId, world.now, key, uid)
    this.profile = drawProfile(this.rng, world.days)
    this.windowStart = world.now - world.days * DAY_MS
    this.firstMidnight = Math.floor(this.windowStart / DAY_MS) * DAY_MS
    this.billingRng = new Rng(mixSeed(world.seed, index, 11))
    this.billing = new Billing(this.tl, this.billingRng)
    this.session = new Session(this.tl, this.rng, this.profile, {
      dayFrac: () => (this.tl.t - this.windowStart) / (world.now - this.windowStart),
      days: world.days,
      onUpgrade: (from, to) => this.upgraded(from, to),
    })
  }

  tell(): void {
    const { profile, world } = this
    const lastDay = Math.floor((world.now - this.firstMidnight) / DAY_MS)
    // Day 0 is the (partial) UTC day the window starts in; a signup day counts from day 1.
    let day = 0
    if (profile.existing) {
      this.tl.tier = profile.tier
      const history = { start: world.historyStart, windowStart: this.windowStart }
      customerHistory(this.billing, this.billingRng, history, profile.tier)
      if (profile.tier !== 'free' && !this.billing.plan) {
        // No history to tell (a window as long as the history): a plan already running.
        const next = this.firstMidnight + this.rng.int(1, 30) * DAY_MS
        this.billing.plan = { tier: profile.tier, interval: 'month', next: next + 7 * 3.6e6 }
      }
    } else {
      day = Math.min(lastDay, profile.signupDay + 1)
      this.signUp(day)
      day++
    }
    const firstDay = day
    for (; day <= lastDay && !this.done; day++) {
      for (const start of this.sessionStarts(day, day - firstDay)) {
        this.renewUntil(start)
        this.session.run(start, this.pickDevice())
        if (this.session.flow === 'gone') return
      }
      if (day - firstDay >= 1 && this.rng.chance(this.churnHazard())) this.churn(day)
      else if (this.billing.plan?.tier === 'premium') this.maybeDowngrade(day)
    }
    if (this.done) return
    this.renewUntil(world.now)
    // A few users are in the app right now: their runs are still in progress at `now`.
    if (this.session.flow !== 'gone' && this.rng.chance(0.03)) {
      const start = world.now - this.rng.between(20, 300) * 1000
      if (start > this.tl.t + SESSION_GAP_MS + 60_000) {
        this.session.run(start, this.pickDevice(), true)
      }
    }
  }

  /** The first day: an optional earlier visit, then the signup session. */
  private signUp(day: number): void {
    const { profile } = this
    if (this.rng.chance(0.3) && day >= 2) {
      const visit = this.timeOn(day - this.rng.int(1, 2))
      if (visit >= this.windowStart) this.session.visit(visit, this.pickDevice())
    }
    this.session.signUp(this.timeOn(day), this.pickDevice(), () => {
      if (profile.tier !== 'free') this.billing.start(this.tl.t, profile.tier)
    })
    if (this.session.flow === 'gone') this.done = true
  }

  /**
   * Free → paid starts a subscription (a reactivation for one who paid before); plus → premium
   * upgrades it. A paying user takes up what the new tier favours; a free user upgraded for
   * what they already use, so the upgrade driver stays the one planted (profile.ts).
   */
  private upgraded(from: Tier, to: Tier): void {
    this.billing.renewUntil(this.tl.t)
    if (!this.billing.plan) return this.billing.start(this.tl.t, to)
    adoptForTier(this.rng, this.profile.features, from, to)
    this.billing.change(this.tl.t, to)
  }

  private renewUntil(t: number): void {
    this.billing.renewUntil(Math.min(t, this.world.now))
  }

  /** A premium user on a monthly plan may step down to plus, at the app's plan page. */
  private maybeDowngrade(day: number): void {
    if (this.billing.plan?.interval !== 'month') return
    if (!this.billingRng.chance(MONTHLY_DOWNGRADE / 30)) return
    const at = this.timeOn(day)
    if (at > this.world.now || at < this.tl.t) return
    this.renewUntil(at)
    this.billing.change(at, 'plus')
    this.tl.tier = 'plus'
  }

  private churnHazard(): number {
    const flow: Flow = this.session.flow
    if (flow !== 'active' && flow !== 'unlinked') return 0
    const f = this.profile.features
    const paid = Boolean(this.billing.plan)
    let monthly = MONTHLY_CHURN[this.tl.tier ?? 'free']
    if (flow === 'unlinked') monthly *= 5
    // Paying customers hold a broken bank link against the bank's app most (planted:
    // UNHEALTHY_INSTITUTION's failures cost paying users).
    const failures = this.session.banks.failures
    if (paid ? failures >= 2 : failures > 2) monthly *= paid ? 4 : 1.8
    // Whoever's syncs failed lately gives up on the app far sooner (the churn model's
    // connection_failures factor).
    monthly *= 1 + Math.min(3, this.recentFailures(RECENT_FAILURE_DAYS))
    if (f.has('investment_tracking')) monthly *= 0.4
    if (f.has('budget_tracking')) monthly *= 0.7
    return Math.min(0.5, monthly / 30)
  }

  /** Leaves for good; some say so (cancel the plan or close the account), most just go quiet. */
  private churn(day: number): void {
    const paid = Boolean(this.billing.plan)
    // Not before the day's sessions: the billing system hears of it after the last of them.
    const at = Math.max(this.timeOn(day), this.tl.t)
    if (at > this.world.now) return
    this.done = true
    const reason = this.session.churnReason(paid)
    if (paid) {
      this.renewUntil(at)
      this.billing.cancel(at, reason)
    }
    if (this.rng.chance(paid ? 0.7 : 0.4)) {
      this.session.leave(at, this.pickDevice(), paid, reason)
    }
  }

  private sessionStarts(day: number, age: number): number[] {
    const { profile, rng } = this
    const weekend = new Date(this.firstMidnight + day * DAY_MS).getUTCDay() % 6 === 0
    // New users are keenest in their first days; users who never linked a bank drift off.
    const keen = profile.existing ? 1 : 1 + Math.exp(-age / 3)
    const flow = this.session.flow
    // A bank link that keeps failing drives them off too: their activity falls before they go.
    const failing = this.recentFailures(7) >= 2 ? 0.55 : 1
    const drift = (flow === 'unlinked' ? 0.5 : flow === 'active' ? 1 : 0.7) * failing
    const n = rng.poisson(profile.activity * keen * drift * (weekend ? 0.75 : 1))
    const starts: number[] = []
    for (let i = 0; i < n; i++) {
      const t = this.hourOn(day)
      if (t >= this.windowStart && t <= this.world.now) starts.push(t)
    }
    return starts.sort((a, b) => a - b)
  }

  private recentFailures(days: number): number {
    return this.session.banks.failuresSince(this.tl.t - days * DAY_MS)
  }

  /** A time on `day` by the hour weights. */
  private hourOn(day: number): number {
    const hour = Number(this.rng.weighted(HOUR_WEIGHTS))
    return this.firstMidnight + day * DAY_MS + (hour + this.rng.next()) * 3.6e6
  }

  /** A time on `day` by the hour weights that is inside the window. */
  private timeOn(day: number): number {
    const dayStart = this.firstMidnight + day * DAY_MS
    for (let i = 0; i < 8; i++) {
      const t = this.hourOn(day)
      if (t >= this.windowStart && t <= this.world.now) return t
    }
    const lo = Math.max(dayStart, this.windowStart)
    return this.rng.between(lo, Math.min(dayStart + DAY_MS, this.world.now))
  }

  private pickDevice(): Device {
    if (this.rng.chance(0.85)) return this.profile.device
    return this.rng.weighted<Device>({ mobile: 1, desktop: 1, tablet: 0.4 })
  }
}
