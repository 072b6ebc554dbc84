/**
 * Synthetic sites for the churn model's workerd tests (DESIGN §7.10): every user's days are
 * planted here, written straight to D1 (ingest refuses events older than 7 days) and rolled up
 * by the real rollups (../insights/seed.ts), as cron would. The plan is kept, so a test can say
 * what a user's features and label are without asking the code under test.
 *
 * The site spans 3H days, H the horizon training picks (a third of the history, at most 30):
 * windows w0, w1, w2 of H whole days each end at T, the start of today (worker/predict/train.ts),
 * so day index 3H is today and events stop at yesterday. Each window, a user still there is "doomed" with probability `churnRate`: their
 * last window; nothing follows it. With `signal`, a doomed user's activity falls in the second
 * half of that window and their bank connections and workflow runs mostly fail; without it a
 * doomed user behaves like everyone else, so who churns is independent of every feature.
 */
import { seeded } from '../../../worker/analysis/predict/random'
import { createKey, createSite, revenueEvent, type TestSite } from '../helpers'
import { DAY, seed, type Ev } from '../insights/seed'

export type Plan = {
  seed: number
  /** The horizon training will pick: the site gets 3 × horizon days of history (to T). */
  horizon: number
  /** Users active from the first day. */
  users: number
  /** Users who join on each of the first days of w1 and of w2. */
  newcomers: number
  churnRate: number
  signal: boolean
  /** Each user comes exactly once a week, on their own weekday, instead of at random. */
  weekly?: boolean
  /**
   * Three more users, active every day, who churn explicitly in w2 (DESIGN §7.10):
   * `x-stage` reaches the `churn` stage, `x-cancel` cancels their plan, `x-restart` cancels
   * and starts again three days later (not churn).
   */
  explicit?: boolean
}

export type PlantedDay = { feature: string; connections: number; failures: number }

export type PlantedUser = {
  uid: string
  tier: string
  /** Day index (0 = the site's first day) of their first event. */
  join: number
  /** The window (0, 1, 2) they are last active in, or null: still there at T. */
  lastWindow: number | null
  days: Map<number, PlantedDay>
  failedRuns: Map<number, number>
  /** Day indices of a `churn` stage, a cancellation and a new start, if any. */
  stageDay?: number
  cancelDay?: number
  restartDay?: number
}

export const FEATURES = ['transfers', 'budgets', 'cards', 'savings', 'loans', 'statements']
const TIERS: [string, number, number][] = [
  // tier, share, monthly plan (0: none)
  ['free', 0.6, 0],
  ['plus', 0.25, 10],
  ['premium', 0.15, 25],
]

export const TODAY = Math.floor(Date.now() / DAY) * DAY

/** Start (ms) of day index `i` of a plan: index 3H is today. */
export const dayStart = (p: Plan, i: number) => TODAY - (3 * p.horizon - i) * DAY
export const dayOf = (p: Plan, i: number) => new Date(dayStart(p, i)).toISOString().slice(0, 10)

export function plantUsers(p: Plan): PlantedUser[] {
  const random = seeded(p.seed)
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]
  const H = p.horizon
  const lastDay = 3 * H - 1 // yesterday
  const users: PlantedUser[] = []
  // Weekly users join on each day of the first week of their window: every weekday is someone's.
  const offset = (n: number) => (p.weekly ? n % 7 : Math.floor(random() * 3))
  const joins = [
    ...Array.from({ length: p.users }, (_, n) => (p.weekly ? n % 7 : 0)),
    ...Array.from({ length: p.newcomers }, (_, n) => H + offset(n)),
    ...Array.from({ length: p.newcomers }, (_, n) => 2 * H + offset(n)),
  ]
  joins.forEach((join, n) => {
    const roll = random()
    const tier = roll < TIERS[0][1] ? 'free' : roll < TIERS[0][1] + TIERS[1][1] ? 'plus' : 'premium'
    const rate = 0.2 + 0.3 * random()
    // Fisher–Yates: a sort by a random comparator is not even the same twice in one V8.
    const liked = [...FEATURES]
    for (let k = liked.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1))
      ;[liked[k], liked[j]] = [liked[j], liked[k]]
    }
    liked.length = 1 + Math.floor(random() * 4)
    let lastWindow: number | null = null
    for (let w = Math.floor(join / H); w < 3 && lastWindow === null; w++) {
      if (random() < p.churnRate) lastWindow = w
    }
    const u: PlantedUser = {
      uid: `u${String(n).padStart(5, '0')}`,
      tier,
      join,
      lastWindow,
      days: new Map(),
      failedRuns: new Map(),
    }
    const end = lastWindow === null ? lastDay : Math.min(lastDay, (lastWindow + 1) * H - 1)
    for (let i = join; i <= end; i++) {
      const w = Math.floor(i / H)
      const falling = p.signal && w === lastWindow
      // The second half of a window is its last ⌊H/2⌋ days (worker/db/predict/windows.ts).
      const late = i - w * H >= H - Math.floor(H / 2)
      const today = falling && late ? 0.15 * rate : rate
      if (p.weekly ? (i - join) % 7 !== 0 : i !== join && random() >= today) continue
      const connections = random() < 0.4 ? 1 : 0
      const failures = connections && random() < (falling ? 0.7 : 0.08) ? 1 : 0
      u.days.set(i, { feature: pick(liked), connections, failures })
      if (random() < 0.2) u.failedRuns.set(i, random() < (falling ? 0.7 : 0.1) ? 1 : 0)
    }
    users.push(u)
  })
  if (p.explicit) {
    const everyDay = (uid: string, tier: string, more: Partial<PlantedUser>): PlantedUser => ({
      uid,
      tier,
      join: 0,
      lastWindow: null,
      days: new Map(
        Array.from({ length: lastDay + 1 }, (_, i) => [
          i,
          { feature: FEATURES[i % 3], connections: 0, failures: 0 },
        ]),
      ),
      failedRuns: new Map(),
      ...more,
    })
    users.push(
      everyDay('x-stage', 'free', { stageDay: 2 * H + 3 }),
      everyDay('x-cancel', 'premium', { cancelDay: 2 * H + 2 }),
      everyDay('x-restart', 'premium', { cancelDay: 2 * H + 2, restartDay: 2 * H + 5 }),
    )
  }
  return users
}

/** The events of the planted users: a session, a feature use, connections, runs, plans. */
export function eventsOf(p: Plan, users: PlantedUser[]): Ev[] {
  const out: Ev[] = []
  users.forEach((u, n) => {
    const plan = TIERS.find(([t]) => t === u.tier)![2]
    const subscription = (day: number | undefined, name: string) => {
      if (day === undefined) return
      const e = revenueEvent(u.uid, dayStart(p, day) + 8 * 3600_000, name, u.tier, plan)
      out.push({ ...e, props: JSON.stringify(e.props) } as Ev)
    }
    if (plan) subscription(u.join, 'subscription_started')
    subscription(u.cancelDay, 'subscription_cancelled')
    subscription(u.restartDay, 'subscription_started')
    if (u.stageDay !== undefined) {
      const ts = dayStart(p, u.stageDay) + 20 * 3600_000
      out.push({ type: 'stage', ts, stage: 'churn', uid: u.uid, sid: `${u.uid}-${u.stageDay}` })
    }
    for (const [i, d] of u.days) {
      const ts = dayStart(p, i) + 9 * 3600_000 + (n % 600) * 60_000
      const common = { uid: u.uid, sid: `${u.uid}-${i}`, tier: u.tier }
      out.push({ type: 'page', ts, path: '/', ...common })
      out.push({ type: 'feature', ts: ts + 1000, feature: d.feature, ...common })
      for (let c = 0; c < d.connections; c++) {
        out.push({
          type: 'connection',
          ts: ts + 2000,
          institution: 'first_bank',
          name: 'sync',
          value: 900,
          ...common,
          ...(c < d.failures
            ? { status: 'failed' as const, reason: 'institution_timeout' }
            : { status: 'completed' as const }),
        })
      }
      const failed = u.failedRuns.get(i)
      if (failed !== undefined) {
        const run = { workflow: 'account_linking', run: `${u.uid}-r${i}`, ...common }
        out.push({ type: 'step', ts: ts + 3000, step: 'start', ...run })
        out.push(
          failed
            ? { type: 'step', ts: ts + 4000, step: 'connect', status: 'failed', ...run }
            : { type: 'step', ts: ts + 4000, step: 'complete', ...run },
        )
      }
    }
  })
  return out
}

export type SyntheticSite = { site: TestSite; read: string; plan: Plan; users: PlantedUser[] }

export async function syntheticSite(p: Plan): Promise<SyntheticSite> {
  const site = await createSite()
  const users = plantUsers(p)
  await seed(site, eventsOf(p, users))
  return { site, read: await createKey(site, 'read'), plan: p, users }
}

/** Whether the user has a planted day in [from, to) (day indices). */
export const activeIn = (u: PlantedUser, from: number, to: number) =>
  [...u.days.keys()].some((i) => i >= from && i < to)

/** A `churn` stage in [from, to), or a cancellation in it with no new start before `until`. */
function explicitIn(u: PlantedUser, from: number, to: number, until: number) {
  const within = (d: number | undefined) => d !== undefined && d >= from && d < to
  const restarted =
    u.restartDay !== undefined && u.restartDay > u.cancelDay! && u.restartDay < until
  return within(u.stageDay) || (within(u.cancelDay) && !restarted)
}

/**
 * The rows training builds at cut index `cut`, by the plan: users active in the H days before
 * it and not churned explicitly in them, and which of those churned in the H days after: no
 * active day, or an explicit churn.
 */
export function plantedRows(p: Plan, users: PlantedUser[], cut: number, H = p.horizon) {
  const population = users.filter(
    (u) => activeIn(u, cut - H, cut) && !explicitIn(u, cut - H, cut, cut),
  )
  const churners = population.filter(
    (u) => !activeIn(u, cut, cut + H) || explicitIn(u, cut, cut + H, cut + H),
  )
  return { population, churners }
}
