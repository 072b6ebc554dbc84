/**
 * Deterministic demo data for a bank's app: `generateDemo({ siteId })` returns the site config
 * and a month of events that tell one believable story, on top of six months of subscription
 * history (subscription-history.ts).
 *
 * The story: 2,400 customers (40% already with the bank, 60% signing up during the month)
 * over free / plus / premium (≈ 65 / 25 / 10 by the end). New users go awareness →
 * consideration → signup → onboarding → identity verification → account linking, then use
 * features, climb the lifecycle stages, sometimes upgrade, sometimes churn. Existing users'
 * bank consents expire now and then, sending them through account linking again. Ten banks
 * are linked; `northwind_credit_union` is unhealthy (≈ 77% connection success, p95 latency
 * ≈ 9 s, degrading over the last 8 days) while the others succeed ≥ 97%, but for
 * `harbor_national`, sliding from 99.3% to 92.5% over the month, heading for critical.
 *
 * Planted for the insights to find:
 * - account_linking's `verify` step drops ≈ 25% of the runs that reach it (every other step
 *   < 11%), half of them for `mfa_timeout`, and half of them at northwind_credit_union;
 * - investment_tracking is used by half the premium users and rated highest (≈ 4.6), while
 *   plus users rarely find it — and the plus users who do upgrade far more often (upsell);
 * - the revenue signals named in catalog.ts: investment_tracking drives upgrades, plus churns
 *   above premium, northwind_credit_union's failures cost paying customers;
 * - for the churn model: users whose bank syncs failed lately open the app less and churn up
 *   to 4× as often (user-story.ts), on top of the low-usage users who drift off;
 * - for the forecast: harbor_national's connection success trending toward critical.
 *
 * The paid plans launched `historyDays` (default 180) before `now`: from then on the billing
 * system's revenue events tell every subscription — starts, monthly renewals and some yearly
 * plans, upgrades, downgrades, cancellations, comebacks and a few refunds — while everything
 * else happens in the last `days`.
 *
 * Each user is simulated from a stream seeded by (seed, user index), so the same options give
 * the same events, and `demoEventChunks` can stream millions of events user by user.
 */
import type { EventRow, SiteConfig } from '../../worker/schemas'
import { DAY_MS, demoConfig } from './catalog'
import { formerCustomers, tellFormerCustomer } from './subscription-history'
import { tellUserStory, type World } from './user-story'

export type DemoOptions = {
  siteId: string
  seed?: number
  /** End of the window, ms epoch; nothing is later than this. */
  now?: number
  days?: number
  users?: number
  /** How long before `now` the subscription history starts; never less than `days`. */
  historyDays?: number
}

export const HISTORY_DAYS = 180

/** Events a user produces on average over 30 days (measured: 85–88). */
export const EVENTS_PER_USER_30D = 86

function world(opts: DemoOptions): World & { users: number } {
  const now = opts.now ?? Date.now()
  const days = opts.days ?? 30
  return {
    siteId: opts.siteId,
    seed: opts.seed ?? 42,
    now,
    days,
    users: opts.users ?? 2400,
    historyStart: now - Math.max(days, opts.historyDays ?? HISTORY_DAYS) * DAY_MS,
  }
}

/** Every story: the users of the window, then the former customers of the history. */
function* stories(w: World & { users: number }): Generator<(out: EventRow[]) => void> {
  for (let i = 0; i < w.users; i++) yield (out) => tellUserStory(w, i, out)
  const history = { start: w.historyStart, windowStart: w.now - w.days * DAY_MS }
  for (let k = 0; k < formerCustomers(w.users); k++) {
    yield (out) => tellFormerCustomer(w, history, k, out)
  }
}

/** Streams the events in chunks of `chunkSize` (the last may be smaller), user by user. */
export function* demoEventChunks(opts: DemoOptions, chunkSize = 5000): Generator<EventRow[]> {
  const w = world(opts)
  let buffer: EventRow[] = []
  for (const tell of stories(w)) {
    tell(buffer)
    while (buffer.length >= chunkSize) {
      yield buffer.slice(0, chunkSize)
      buffer = buffer.slice(chunkSize)
    }
  }
  if (buffer.length) yield buffer
}

export function generateDemo(opts: DemoOptions): { config: SiteConfig; events: EventRow[] } {
  const w = world(opts)
  const events: EventRow[] = []
  for (const tell of stories(w)) tell(events)
  return { config: demoConfig(), events }
}

/**
 * A users count that yields roughly `events` events over `days` days, for benchmarks:
 * 1,000,000 events over 30 days ≈ 11,600 users. Longer windows give each user more sessions
 * but also spread the signups, hence the power below 1 (fitted on 7, 30 and 90 days).
 */
export function usersForEvents(events: number, days = 30): number {
  return Math.max(1, Math.round(events / (EVENTS_PER_USER_30D * Math.pow(days / 30, 0.75))))
}
