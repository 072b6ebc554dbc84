/**
 * The churn model's rows (DESIGN §7.10, docs/models.md): for a cut day C and a horizon of H
 * days, the users it can say something about and, when the days after C are known, whether
 * they churned.
 *
 * - Population at C: active (an event other than `revenue`) in [C − H, C) and not already
 *   churned explicitly before C (a `churn` stage, or a cancellation not followed by a start).
 * - Label: churned in [C, C + H) — a `churn` stage, a `subscription_cancelled` without a later
 *   start within the horizon, or no active day at all in it.
 * - Features, from [C − H, C) only: activity trend, sessions, breadth, workflow failures,
 *   connection failures, tenure, engagement, and the tier one-hot (the commonest tier is the
 *   reference and gets no column).
 */
import type { History } from '../../db/predict/history'
import type { UserWindow } from '../../db/predict/windows'
import { engagementScores } from './engagement'

export const BASE_FEATURES = [
  'activity_trend',
  'sessions',
  'breadth',
  'workflow_failures',
  'connection_failures',
  'tenure_days',
  'engagement',
] as const

/** At most this many tiers get a column (the rest share the reference's). */
const MAX_TIER_COLUMNS = 3
const DAY_MS = 86_400_000

export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)

/** The commonest tier first (the reference), then up to three more with a column each. */
export function tierLevels(windows: Map<string, UserWindow>[]): string[] {
  const counts = new Map<string, number>()
  for (const w of windows)
    for (const u of w.values()) counts.set(u.tier, (counts.get(u.tier) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TIER_COLUMNS + 1)
    .map(([t]) => t)
}

export function featureNames(levels: string[]): string[] {
  return [...BASE_FEATURES, ...levels.slice(1).map((t) => `tier:${t}`)]
}

/** Per-user lookups of the explicit churn signals, in day order. */
export class ChurnSignals {
  private starts = new Map<string, string[]>()
  private cancels = new Map<string, string[]>()
  readonly upgrades = new Map<string, string[]>()

  constructor(private history: History) {
    const push = (m: Map<string, string[]>, uid: string, day: string) => {
      const days = m.get(uid)
      if (days) days.push(day)
      else m.set(uid, [day])
    }
    for (const s of history.subscriptions) {
      if (s.started > 0) push(this.starts, s.uid, s.day)
      if (s.cancelled > 0) push(this.cancels, s.uid, s.day)
      if (s.upgraded > 0 || s.started > 0) push(this.upgrades, s.uid, s.day)
    }
  }

  /**
   * A churn stage in [from, to), or a cancellation in [from, to) with no start after it
   * before `until`.
   */
  explicitIn(uid: string, from: string, to: string, until: string): boolean {
    if (this.history.churnStages.get(uid)?.some((d) => d >= from && d < to)) return true
    const starts = this.starts.get(uid) ?? []
    return (this.cancels.get(uid) ?? []).some(
      (c) => c >= from && c < to && !starts.some((s) => s > c && s < until),
    )
  }

  upgradedIn(uid: string, from: string, to: string): boolean {
    return this.upgrades.get(uid)?.some((d) => d >= from && d < to) ?? false
  }
}

export type Dataset = {
  uids: string[]
  rows: number[][]
  /** 1 churned, 0 stayed; empty when the days after the cut are not known yet. */
  labels: number[]
  tiers: string[]
}

export type DatasetInput = {
  cut: string
  horizon: number
  /** Users active in [cut − horizon, cut). */
  window: Map<string, UserWindow>
  /** Users active in [cut, cut + horizon), when that is known: the labels. */
  next?: Map<string, UserWindow>
  signals: ChurnSignals
  firstDay: Map<string, string>
  levels: string[]
}

export function buildDataset(d: DatasetInput): Dataset {
  const from = addDays(d.cut, -d.horizon)
  const end = addDays(d.cut, d.horizon)
  // windows.ts midDay: the second half is the last ⌊H/2⌋ days; the trend compares daily rates.
  const recentHalf = Math.floor(d.horizon / 2) || 1
  const earlierHalf = d.horizon - recentHalf || 1
  const uids = [...d.window.keys()]
    .filter((uid) => !d.signals.explicitIn(uid, from, d.cut, d.cut))
    .sort()
  const users = uids.map((uid) => d.window.get(uid)!)
  const engagement = engagementScores(
    users.map((u) => ({
      days_since_active: daysBetween(u.last_day, d.cut) - 1,
      active_days: u.active_days,
      features: u.features.length,
      completions: u.completed_runs,
    })),
  )
  const rows = users.map((u, i) => {
    const earlier = u.active_days - u.recent_days
    const first = d.firstDay.get(uids[i]) ?? from
    return [
      u.recent_days / recentHalf - earlier / earlierHalf,
      u.sessions,
      u.features.length,
      u.failed_runs,
      u.connection_failures,
      Math.max(0, daysBetween(first, d.cut)),
      engagement[i],
      ...d.levels.slice(1).map((t) => (u.tier === t ? 1 : 0)),
    ]
  })
  const next = d.next
  const labels = next
    ? uids.map((uid) => (!next.has(uid) || d.signals.explicitIn(uid, d.cut, end, end) ? 1 : 0))
    : []
  return { uids, rows, labels, tiers: users.map((u) => u.tier) }
}
