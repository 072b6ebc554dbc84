/**
 * Journeys (DESIGN §7.4, docs/formulas.md §7.4), part one: each user's path through the
 * stages, folded from their stage events in time order with O(stages) state per user.
 * `churn` is terminal: a user's stage events after their first churn are ignored.
 */
import { STAGES } from '../schemas'

export type Stage = (typeof STAGES)[number]
/** The ordered stages, awareness → advocacy; `churn` stands outside the order. */
export const JOURNEY_STAGES = STAGES.filter((s) => s !== 'churn') as Exclude<Stage, 'churn'>[]
export const DEFAULT_JOURNEY = 'lifecycle'

export type StageEvent = {
  uid: string
  ts: number
  stage: Stage
  tier?: string | null
  device?: string | null
}

export type UserJourney = {
  uid: string
  first_ts: number
  /** Time of the last stage event counted (the churn, for a churned user). */
  last_ts: number
  last_stage: Stage
  /** Index in JOURNEY_STAGES of the furthest stage reached; -1 if only churn was seen. */
  furthest: number
  /** Per stage index: ms from first_ts until the user first stood at that stage or beyond. */
  reach_ms: (number | undefined)[]
  churned: boolean
  /** The stage the user churned from (null if churn was their first stage event). */
  churned_from: Stage | null
  /** Consecutive pairs of distinct stages, `from>to` → how many times. */
  transitions: Map<string, number>
  tier: string | null
  device: string | null
}

export class JourneyFold {
  private journeys = new Map<string, UserJourney>()

  /** Events must come in time order (per user at least). */
  add(e: StageEvent): void {
    let j = this.journeys.get(e.uid)
    if (!j) {
      j = {
        uid: e.uid,
        first_ts: e.ts,
        last_ts: e.ts,
        last_stage: e.stage,
        furthest: -1,
        reach_ms: [],
        churned: false,
        churned_from: null,
        transitions: new Map(),
        tier: null,
        device: null,
      }
      this.journeys.set(e.uid, j)
    } else {
      if (j.churned) return
      if (e.stage !== j.last_stage) {
        const pair = `${j.last_stage}>${e.stage}`
        j.transitions.set(pair, (j.transitions.get(pair) ?? 0) + 1)
      }
    }
    j.tier = e.tier ?? j.tier
    j.device = e.device ?? j.device
    if (e.stage === 'churn') {
      j.churned = true
      // A new user's last_stage is this churn itself: they churned from nowhere.
      j.churned_from = j.last_stage === 'churn' ? null : j.last_stage
    } else {
      const index = JOURNEY_STAGES.indexOf(e.stage)
      for (let s = 0; s <= index; s++) j.reach_ms[s] ??= e.ts - j.first_ts
      j.furthest = Math.max(j.furthest, index)
    }
    j.last_stage = e.stage
    j.last_ts = e.ts
  }

  users(): UserJourney[] {
    return [...this.journeys.values()]
  }
}

/** Keeps users whose latest known tier and device (from their stage events) match. */
export function filterJourneys(
  users: UserJourney[],
  f: { tier?: string; device?: string },
): UserJourney[] {
  return users.filter((u) => (!f.tier || u.tier === f.tier) && (!f.device || u.device === f.device))
}
