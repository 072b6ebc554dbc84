/**
 * Journeys (DESIGN §7.4, docs/formulas.md §7.4), part two: the numbers over the users'
 * folded journeys. Rates are fractions 0–1; times are seconds.
 */
import { JOURNEY_STAGES, type Stage, type UserJourney } from './journeys'
import { medianSeconds, ratio } from './median'

export type JourneyStageResult = {
  stage: Stage
  reached: number
  current: number
  conversion_to_next: number | null
  median_time_to_reach_s: number | null
}

/** The seven ordered stages, then `churn` (reached = current = churned users). */
export function stageTable(users: UserJourney[]): JourneyStageResult[] {
  const reached = JOURNEY_STAGES.map((_, s) => users.filter((u) => u.furthest >= s).length)
  const ordered = JOURNEY_STAGES.map((stage, s) => ({
    stage,
    reached: reached[s],
    current: users.filter((u) => u.last_stage === stage).length,
    conversion_to_next: s + 1 < reached.length ? ratio(reached[s + 1], reached[s]) : null,
    median_time_to_reach_s: medianSeconds(
      users.filter((u) => u.furthest >= s).map((u) => u.reach_ms[s]!),
    ),
  }))
  const churned = users.filter((u) => u.churned)
  const churn: JourneyStageResult = {
    stage: 'churn',
    reached: churned.length,
    current: churned.length,
    conversion_to_next: null,
    median_time_to_reach_s: medianSeconds(churned.map((u) => u.last_ts - u.first_ts)),
  }
  return [...ordered, churn]
}

/** One band of the Sankey: `users` who went on from `from` to `to` (the next stage, or churn). */
export type JourneyFlow = { from: Stage; to: Stage; users: number }

/**
 * How far people got, as a flow over the same people as stageTable: everyone who reached stage
 * s + 1 (furthest ≥ s + 1) goes on from s to s + 1, and a churned user goes from their furthest
 * stage to churn. So the flow into s is reached(s), the flow out of s is at most reached(s)
 * (the rest stopped there), and a stage's node is its reached. Only bands with people.
 */
export function stageFlow(users: UserJourney[]): JourneyFlow[] {
  const flow: JourneyFlow[] = []
  JOURNEY_STAGES.forEach((from, s) => {
    const next = JOURNEY_STAGES[s + 1]
    const on = next ? users.filter((u) => u.furthest > s).length : 0
    if (on > 0) flow.push({ from, to: next, users: on })
    const churned = users.filter((u) => u.churned && u.furthest === s).length
    if (churned > 0) flow.push({ from, to: 'churn', users: churned })
  })
  return flow
}

export type JourneyTransition = { from: Stage; to: Stage; count: number; users: number }

/** Consecutive pairs of distinct stages, most frequent first (at most 8 × 7 pairs). */
export function transitions(users: UserJourney[]): JourneyTransition[] {
  const totals = new Map<string, { count: number; users: number }>()
  for (const u of users) {
    for (const [pair, n] of u.transitions) {
      const t = totals.get(pair) ?? { count: 0, users: 0 }
      t.count += n
      t.users += 1
      totals.set(pair, t)
    }
  }
  return [...totals]
    .map(([pair, t]) => {
      const [from, to] = pair.split('>') as [Stage, Stage]
      return { from, to, ...t }
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
}

export type JourneyDropoff = {
  stage: Stage
  inactive: number
  churned: number
  dropped: number
  drop_rate: number
}

/**
 * Per ordered stage: users who stopped there without churning and have had no event of any
 * kind for `inactiveMs` before `asOf`, plus users who churned from it; over those who reached it.
 */
export function journeyDropoffs(
  users: UserJourney[],
  lastSeen: Map<string, number>,
  asOf: number,
  inactiveMs: number,
): JourneyDropoff[] {
  return JOURNEY_STAGES.map((stage, s) => {
    const inactive = users.filter(
      (u) =>
        !u.churned &&
        u.last_stage === stage &&
        asOf - Math.max(u.last_ts, lastSeen.get(u.uid) ?? -Infinity) >= inactiveMs,
    ).length
    const churned = users.filter((u) => u.churned_from === stage).length
    const reached = users.filter((u) => u.furthest >= s).length
    return {
      stage,
      inactive,
      churned,
      dropped: inactive + churned,
      drop_rate: ratio(inactive + churned, reached),
    }
  })
}

/** Users who reached the success stage (or beyond) and did not churn, over all who entered. */
export function success(users: UserJourney[], successStage: Stage) {
  const s = JOURNEY_STAGES.indexOf(successStage as (typeof JOURNEY_STAGES)[number])
  const succeeded = s < 0 ? 0 : users.filter((u) => u.furthest >= s && !u.churned).length
  return { entered: users.length, succeeded, success_rate: ratio(succeeded, users.length) }
}

/** One row per (conversion name, user): the user's first such conversion in the period. */
export type ConversionRow = { name: string; uid: string; first_ts: number; first_seen: number }
export type ConversionPoint = {
  name: string
  users: number
  rate: number
  median_time_from_first_seen_s: number | null
}

/** Conversions of the journey's users, by name, most users first, at most `max` names. */
export function conversionPoints(
  rows: ConversionRow[],
  users: UserJourney[],
  max = 50,
): ConversionPoint[] {
  const inJourney = new Set(users.map((u) => u.uid))
  const byName = new Map<string, number[]>()
  for (const r of rows) {
    if (!inJourney.has(r.uid)) continue
    const times = byName.get(r.name) ?? []
    times.push(Math.max(0, r.first_ts - r.first_seen))
    byName.set(r.name, times)
  }
  return [...byName]
    .map(([name, times]) => ({
      name,
      users: times.length,
      rate: ratio(times.length, users.length),
      median_time_from_first_seen_s: medianSeconds(times),
    }))
    .sort((a, b) => b.users - a.users || a.name.localeCompare(b.name))
    .slice(0, max)
}
