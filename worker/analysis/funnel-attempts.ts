/**
 * ClickHouse `windowFunnel`, one actor at a time, fed events in time order (DESIGN §7.3).
 * Each actor keeps O(steps) state whatever its number of events, so a funnel over a long
 * period streams: for every level it keeps the attempt with the LATEST start that reached it,
 * which is the one with the most window left, so no other attempt can get further.
 */

export type FunnelOrder = 'ordered' | 'strict' | 'any'

/** How far one actor got: `level` steps, and the ms between completing step i-1 and step i. */
export type ActorOutcome = { level: number; gaps_ms: number[]; breakdown: string | null }

type Attempt = { start: number; times: number[]; breakdown: string | null }

export type FunnelOptions = {
  steps: number
  windowMs: number
  order: FunnelOrder
  /** Attempts must start before this (the end of the period); later events only finish them. */
  startBefore: number
}

/** One actor's progress. `add` takes the indexes (0-based) of the steps an event matches. */
export interface ActorFunnel {
  add(ts: number, matched: number[], breakdown: string | null): void
  outcome(): ActorOutcome
}

export function actorFunnel(o: FunnelOptions): ActorFunnel {
  return o.order === 'any' ? new AnyOrder(o) : new InOrder(o)
}

/** The best attempt so far: the first to reach the actor's furthest level. */
function outcomeOf(best: Attempt | undefined): ActorOutcome {
  if (!best) return { level: 0, gaps_ms: [], breakdown: null }
  const gaps_ms = best.times.slice(1).map((t, i) => t - best.times[i])
  return { level: best.times.length, gaps_ms, breakdown: best.breakdown }
}

/**
 * `ordered` and `strict`. An event extends the attempt waiting at the level below each step it
 * matches (levels are updated from the top down, so one event fills one step of an attempt).
 * In `strict`, an attempt that this funnel-step event does not extend is over.
 */
class InOrder implements ActorFunnel {
  private attempts: (Attempt | undefined)[]
  private best: Attempt | undefined

  constructor(private readonly o: FunnelOptions) {
    this.attempts = new Array(o.steps)
  }

  add(ts: number, matched: number[], breakdown: string | null): void {
    const { attempts, o } = this
    const next: (Attempt | undefined)[] = o.order === 'strict' ? new Array(o.steps) : [...attempts]
    for (let i = matched.length - 1; i >= 0; i--) {
      const k = matched[i]
      const below = k > 0 ? attempts[k - 1] : undefined
      if (!below || ts - below.start > o.windowMs) continue
      next[k] = {
        start: below.start,
        times: [...below.times, ts],
        breakdown: below.breakdown ?? breakdown,
      }
      if (k + 1 > (this.best?.times.length ?? 0)) this.best = next[k]
    }
    if (matched[0] === 0 && ts < o.startBefore) {
      next[0] = { start: ts, times: [ts], breakdown }
      this.best ??= next[0]
    }
    this.attempts = next
  }

  outcome(): ActorOutcome {
    return outcomeOf(this.best)
  }
}

/**
 * `any`: the steps may happen in any order. An attempt is any stretch of `window` length;
 * it reaches level k when steps 1..k all happen inside it, and step i "completes" when the
 * last of steps 1..i has happened. The stretch ending at each event is checked, using each
 * step's latest occurrence; at least one occurrence must fall before the period's end. One
 * event that matches several steps fills all of them.
 */
class AnyOrder implements ActorFunnel {
  private last: number[]
  private lastBefore: number[]
  private lastBreakdown: (string | null)[]
  private lastBeforeBreakdown: (string | null)[]
  private best: Attempt | undefined

  constructor(private readonly o: FunnelOptions) {
    this.last = new Array(o.steps).fill(-Infinity)
    this.lastBefore = new Array(o.steps).fill(-Infinity)
    this.lastBreakdown = new Array(o.steps).fill(null)
    this.lastBeforeBreakdown = new Array(o.steps).fill(null)
  }

  add(ts: number, matched: number[], breakdown: string | null): void {
    const { o, last, lastBefore } = this
    for (const k of matched) {
      last[k] = ts
      this.lastBreakdown[k] = breakdown
      if (ts < o.startBefore) {
        lastBefore[k] = ts
        this.lastBeforeBreakdown[k] = breakdown
      }
    }
    const since = ts - o.windowMs
    let level = 0
    while (level < o.steps && last[level] >= since) level++
    if (level <= (this.best?.times.length ?? 0)) return
    // The anchor: the step whose occurrence before the period's end is latest.
    let anchor = -1
    for (let k = 0; k < level; k++) {
      if (lastBefore[k] >= since && (anchor < 0 || lastBefore[k] > lastBefore[anchor])) anchor = k
    }
    if (anchor < 0) return
    const at = (k: number) => (k === anchor ? lastBefore[k] : last[k])
    const times: number[] = []
    for (let k = 0; k < level; k++) times.push(Math.max(at(k), k ? times[k - 1] : -Infinity))
    const start = Math.min(...times.map((_, k) => at(k)))
    const breakdowns = times.map((_, k) =>
      k === anchor ? this.lastBeforeBreakdown[k] : this.lastBreakdown[k],
    )
    this.best = { start, times, breakdown: breakdowns.find((b) => b !== null) ?? null }
  }

  outcome(): ActorOutcome {
    return outcomeOf(this.best)
  }
}
