/**
 * One evaluation of one alert series (DESIGN §9), pure. Past the threshold: `pending` until
 * `pending_evaluations` evaluations in a row were, then `firing`; back within it: `resolved`
 * from firing, `ok` from pending. Too few observations (`min_sample`): `no_data`, which neither
 * fires nor resolves — a firing alert that goes quiet keeps its last word (Grafana's "keep last
 * state"): it resolves, and says so, when data comes back within the threshold, and is not told
 * again as new if it comes back past it. A message is made on the transition into firing, every
 * `repeat_every` while firing, and on the transition into resolved of an alert that was told —
 * never while the rule is snoozed (the first evaluation after the snooze tells a still-firing
 * alert).
 */
import type { ALERT_STATES } from '../wire-lists'
import type { Observation } from './observe'
import type { EffectiveRule } from './rules'

export type AlertState = (typeof ALERT_STATES)[number]

export type SeriesState = {
  state: AlertState
  since: number
  breaches: number
  /** When the firing alert was last told; kept through no_data, null otherwise. */
  notified_at: number | null
  evaluated_at: number
}

export type Step = {
  next: SeriesState
  message: 'alert.firing' | 'alert.resolved' | null
  previous: AlertState
}

export function evaluate(
  rule: EffectiveRule,
  obs: Pick<Observation, 'value' | 'n'>,
  prev: SeriesState | undefined,
  now: number,
  snoozed: boolean,
): Step {
  const previous = prev?.state ?? 'ok'
  const to = (state: AlertState, breaches: number, notified_at: number | null): SeriesState => ({
    state,
    since: state === previous && prev ? prev.since : now,
    breaches,
    notified_at,
    evaluated_at: now,
  })
  const told = prev?.notified_at ?? null
  // A quiet series that was told firing is still, for its receiver, firing.
  const firingBefore = previous === 'firing' || (previous === 'no_data' && told !== null)
  if (obs.value === null || obs.n < rule.min_sample) {
    return { next: to('no_data', 0, firingBefore ? told : null), message: null, previous }
  }
  const breach = rule.condition === 'below' ? obs.value < rule.limit : obs.value > rule.limit
  if (!breach) {
    if (firingBefore) {
      const tell = told !== null && !snoozed
      return { next: to('resolved', 0, null), message: tell ? 'alert.resolved' : null, previous }
    }
    return {
      next: to(previous === 'resolved' ? 'resolved' : 'ok', 0, null),
      message: null,
      previous,
    }
  }
  const breaches = (prev?.breaches ?? 0) + 1
  const firing = firingBefore || breaches >= rule.pending_evaluations
  if (!firing) return { next: to('pending', breaches, null), message: null, previous }
  const due = told === null || now - told >= rule.repeat_ms
  if (due && !snoozed)
    return { next: to('firing', breaches, now), message: 'alert.firing', previous }
  return { next: to('firing', breaches, told), message: null, previous }
}
