/**
 * Ad-hoc funnels (DESIGN §7.3, docs/formulas.md §7.3): which steps an event matches, one
 * `ActorFunnel` per user or session, and the per-step numbers from the actors' outcomes.
 */
import type { EventType } from '../schemas'
import { actorFunnel, type ActorOutcome, type FunnelOrder } from './funnel-attempts'
import { medianSeconds, ratio } from './median'

export type { ActorOutcome, FunnelOrder } from './funnel-attempts'

/** The fields a step may pin; a step matches an event when the type and every pinned field agree. */
export const STEP_FIELDS = ['feature', 'workflow', 'step', 'stage', 'name', 'path'] as const
export type StepField = (typeof STEP_FIELDS)[number]
export type FunnelStep = { type: EventType } & Partial<Record<StepField, string>>
export type FunnelBy = 'user' | 'session'
export type BreakdownProperty = 'tier' | 'device' | 'institution'

/** An event as the funnel reads it. */
export type FunnelEvent = { ts: number; type: string; uid: string | null; sid: string | null } & {
  [K in StepField | BreakdownProperty]?: string | null
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const
export const WINDOW_PATTERN = /^(\d{1,4})([mhd])$/
/** `'30m'`, `'2h'`, `'14d'` in milliseconds. */
export function windowMs(window: string): number {
  const [, n, unit] = window.match(WINDOW_PATTERN) ?? []
  if (!n) throw new Error(`not a window: ${window}`)
  return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS]
}

/** Indexes (0-based, ascending) of the steps `e` satisfies. */
export function matchedSteps(steps: FunnelStep[], e: FunnelEvent): number[] {
  const matched: number[] = []
  steps.forEach((s, i) => {
    if (s.type === e.type && STEP_FIELDS.every((f) => s[f] === undefined || s[f] === e[f])) {
      matched.push(i)
    }
  })
  return matched
}

/** `step account_linking/verify`, `page /accounts`, `feature budget_tracking`, … */
export function stepLabel(s: FunnelStep): string {
  const what = [
    s.feature,
    s.workflow && s.step ? `${s.workflow}/${s.step}` : (s.workflow ?? s.step),
  ]
  const rest = [s.stage, s.name, s.path]
  return [s.type, ...[...what, ...rest].filter(Boolean)].join(' ')
}

/**
 * The steps the event scan narrows by. `strict` (ClickHouse `strict_order`) must see the events
 * of the steps' types that match no step, since they end a funnel, so it narrows by type only.
 */
export function scanSteps(steps: FunnelStep[], order: FunnelOrder): FunnelStep[] {
  return order === 'strict' ? steps.map((s) => ({ type: s.type })) : steps
}

export type FunnelOptions = {
  windowMs: number
  order: FunnelOrder
  by: FunnelBy
  breakdown?: BreakdownProperty
  /** The end of the period: only events before it start attempts. */
  startBefore: number
}

/**
 * Feeds events in time order to one funnel per actor; events without the actor's id are skipped.
 * `strict` needs every event of the steps' types (see `scanSteps`), the others only the matches.
 */
export class FunnelCounter {
  private actors = new Map<string, ReturnType<typeof actorFunnel>>()

  constructor(
    private readonly steps: FunnelStep[],
    private readonly o: FunnelOptions,
  ) {}

  add(e: FunnelEvent): void {
    const actor = this.o.by === 'user' ? e.uid : e.sid
    if (!actor) return
    const matched = matchedSteps(this.steps, e)
    let funnel = this.actors.get(actor)
    // In `strict`, an event of a step type matching no step may end a started funnel.
    if (!matched.length && !(funnel && this.o.order === 'strict')) return
    if (!funnel) {
      funnel = actorFunnel({ ...this.o, steps: this.steps.length })
      this.actors.set(actor, funnel)
    }
    funnel.add(e.ts, matched, this.o.breakdown ? (e[this.o.breakdown] ?? null) : null)
  }

  outcomes(): ActorOutcome[] {
    return [...this.actors.values()].map((f) => f.outcome()).filter((o) => o.level > 0)
  }
}

export type FunnelStepResult = {
  index: number
  label: string
  definition: FunnelStep
  count: number
  conversion_from_start: number
  conversion_from_previous: number
  /** Median s from completing the previous step to this one, in the attempt that converted. */
  median_time_to_convert_s: number | null
}

/** Per step: actors whose furthest level is at least it, and how long they took to get there. */
export function funnelSteps(steps: FunnelStep[], outcomes: ActorOutcome[]): FunnelStepResult[] {
  const counts = steps.map((_, i) => outcomes.filter((o) => o.level > i).length)
  return steps.map((definition, i) => ({
    index: i + 1,
    label: stepLabel(definition),
    definition,
    count: counts[i],
    conversion_from_start: ratio(counts[i], counts[0]),
    conversion_from_previous: i ? ratio(counts[i], counts[i - 1]) : ratio(counts[0], counts[0]),
    median_time_to_convert_s: i
      ? medianSeconds(outcomes.filter((o) => o.level > i).map((o) => o.gaps_ms[i - 1]))
      : null,
  }))
}

export const OTHER_VALUE = '(other)'

export type FunnelBreakdown = {
  property: BreakdownProperty
  values: { value: string | null; steps: FunnelStepResult[] }[]
}

/**
 * One funnel per breakdown value (the first value the converting attempt's events carry),
 * largest first; past `maxValues` the rest are merged into `(other)`.
 */
export function funnelBreakdown(
  property: BreakdownProperty,
  steps: FunnelStep[],
  outcomes: ActorOutcome[],
  maxValues = 20,
): FunnelBreakdown {
  const groups = new Map<string | null, ActorOutcome[]>()
  for (const o of outcomes) {
    const group = groups.get(o.breakdown)
    if (group) group.push(o)
    else groups.set(o.breakdown, [o])
  }
  const ranked = [...groups].sort(
    (a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0])),
  )
  const kept = ranked.slice(0, maxValues)
  const rest = ranked.slice(maxValues).flatMap(([, os]) => os)
  if (rest.length) kept.push([OTHER_VALUE, rest])
  return {
    property,
    values: kept.map(([value, os]) => ({ value, steps: funnelSteps(steps, os) })),
  }
}
