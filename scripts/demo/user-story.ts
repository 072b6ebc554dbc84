/**
 * One user's month, day by day. A new user visits, signs up, goes through onboarding,
 * identity verification and account linking (each may fail; some retry in a later session),
 * then uses features in sessions, climbs the lifecycle stages, may upgrade, and may churn.
 * An existing customer starts linked and onboarded. Paid plans renew every 30 days.
 */
import type { EventRow } from '../../worker/schemas'
import { DAY_MS, PRICES, type Tier } from './catalog'
import { adoptForTier, drawProfile, type Profile } from './profile'
import { mixSeed, Rng } from './random'
import { Session } from './session'
import type { Flow } from './signup-flow'
import { Timeline, type Device, SESSION_GAP_MS } from './timeline'

export type World = { siteId: string; seed: number; now: number; days: number }

/** Monthly churn by tier before the user's own story changes it. */
const MONTHLY_CHURN: Record<Tier, number> = { free: 0.1, plus: 0.05, premium: 0.03 }
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
  private nextRenewal: number | null = null
  private done = false

  constructor(
    private readonly world: World,
    index: number,
    out: EventRow[],
  ) {
    this.rng = new Rng(mixSeed(world.seed, index))
    const key = index.toString(36)
    const pseudonym = mixSeed(world.seed, index, 7).toString(16).padStart(8, '0')
    this.tl = new Timeline(out, this.rng, world.siteId, world.now, key, `u_${pseudonym}${key}`)
    this.profile = drawProfile(this.rng, world.days)
    this.windowStart = world.now - world.days * DAY_MS
    this.firstMidnight = Math.floor(this.windowStart / DAY_MS) * DAY_MS
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
      if (profile.tier !== 'free') {
        const billing = this.firstMidnight + this.rng.int(1, 30) * DAY_MS
        this.nextRenewal = billing + this.rng.between(6, 8) * 3.6e6
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
      if (profile.tier === 'free') return
      this.tl.emitServer('revenue', {
        name: 'subscription',
        value: PRICES[profile.tier],
        currency: 'USD',
        props: { kind: 'new' },
      })
      this.nextRenewal = this.tl.t + 30 * DAY_MS
    })
    if (this.session.flow === 'gone') this.done = true
  }

  private upgraded(from: Tier, to: Tier): void {
    adoptForTier(this.rng, this.profile.features, from, to)
    this.tl.emitServer('revenue', {
      name: 'upgrade',
      value: PRICES[to],
      currency: 'USD',
      props: { from },
    })
    this.nextRenewal = this.tl.t + 30 * DAY_MS
  }

  private renewUntil(t: number): void {
    while (
      this.nextRenewal !== null &&
      this.nextRenewal <= t &&
      this.nextRenewal <= this.world.now
    ) {
      const tier = this.tl.tier
      if (tier && tier !== 'free' && this.nextRenewal >= this.windowStart) {
        const saved = this.tl.t
        this.tl.t = this.nextRenewal
        this.tl.emitServer('revenue', {
          name: 'subscription',
          value: PRICES[tier],
          currency: 'USD',
          props: { kind: 'renewal' },
        })
        this.tl.t = saved
      }
      this.nextRenewal += 30 * DAY_MS
    }
  }

  private churnHazard(): number {
    const flow: Flow = this.session.flow
    if (flow !== 'active' && flow !== 'unlinked') return 0
    const f = this.profile.features
    let monthly = MONTHLY_CHURN[this.tl.tier ?? 'free']
    if (flow === 'unlinked') monthly *= 5
    if (this.session.banks.failures > 2) monthly *= 1.8
    if (f.has('investment_tracking')) monthly *= 0.4
    if (f.has('budget_tracking')) monthly *= 0.7
    return Math.min(0.5, monthly / 30)
  }

  /** Leaves for good; some say so (cancel the plan or close the account), most just go quiet. */
  private churn(day: number): void {
    const paid = this.tl.tier !== 'free'
    const at = this.timeOn(day)
    if (at > this.world.now) return
    this.done = true
    this.nextRenewal = null
    if (this.rng.chance(paid ? 0.7 : 0.4)) {
      this.session.leave(at, this.pickDevice(), paid)
    }
  }

  private sessionStarts(day: number, age: number): number[] {
    const { profile, rng } = this
    const weekend = new Date(this.firstMidnight + day * DAY_MS).getUTCDay() % 6 === 0
    // New users are keenest in their first days; users who never linked a bank drift off.
    const keen = profile.existing ? 1 : 1 + Math.exp(-age / 3)
    const flow = this.session.flow
    const drift = flow === 'unlinked' ? 0.5 : flow === 'active' ? 1 : 0.7
    const n = rng.poisson(profile.activity * keen * drift * (weekend ? 0.75 : 1))
    const starts: number[] = []
    for (let i = 0; i < n; i++) {
      const t = this.hourOn(day)
      if (t >= this.windowStart && t <= this.world.now) starts.push(t)
    }
    return starts.sort((a, b) => a - b)
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
