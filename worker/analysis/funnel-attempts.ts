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

/**
 * One actor's progress. `add` takes the indexes (0-based) of the steps an event matches, in time
 * order; in `strict` an empty list is an event of a step type that matches no step.
 */
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

/** One event of a same-millisecond group: the steps it matches (empty: no step, `strict` only). */
type Pending = { matched: number[]; breakdown: string | null }
/** An attempt made inside the current group, with the group events it used. */
type Candidate = { attempt: Attempt; used: number[] }

/**
 * `ordered` (ClickHouse `windowFunnel(w, 'strict_once')`) and `strict` (`'strict_order',
 * 'strict_once'`), after AggregateFunctionWindowFunnel.cpp. Events at one millisecond are
 * buffered and replayed as ClickHouse sorts them, by (timestamp, step index, arrival): an event
 * matching no step first, then step 1, step 2, … (its test 01646). One event fills at most one
 * step of an attempt. Between groups each level keeps only its latest-start attempt; inside a
 * group every candidate is kept, since the latest one may already hold the event being placed.
 *
 * `strict` ends the actor's funnel (its level is what it had reached) at: an event matching no
 * step once a step-1 event was seen; an event of step k+1 when step k was never reached; a
 * step-1 event once step 2 was reached. A repeat of the step just reached restarts or extends
 * (a a b b c c → 3); an event too late for its attempt is ignored.
 */
class InOrder implements ActorFunnel {
  private levels: (Attempt | undefined)[]
  private best: Attempt | undefined
  private started = false
  private stopped = false
  private groupTs = -Infinity
  private group: Pending[] = []

  constructor(private readonly o: FunnelOptions) {
    this.levels = new Array(o.steps)
  }

  add(ts: number, matched: number[], breakdown: string | null): void {
    if (ts !== this.groupTs) this.flush()
    this.groupTs = ts
    this.group.push({ matched, breakdown })
  }

  outcome(): ActorOutcome {
    this.flush()
    return outcomeOf(this.best)
  }

  private flush(): void {
    const { group, groupTs: ts, o } = this
    if (!group.length) return
    this.group = []
    const strict = o.order === 'strict'
    const units: [step: number, event: number][] = []
    group.forEach((e, j) => {
      if (!e.matched.length) units.push([-1, j])
      for (const k of e.matched) units.push([k, j])
    })
    units.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    const cands: Candidate[][] = Array.from(this.levels, (a) =>
      a ? [{ attempt: a, used: [] }] : [],
    )
    for (const [k, j] of units) {
      if (this.stopped) break
      if (k === -1) {
        if (strict && this.started) this.stopped = true
      } else if (k === 0) {
        if (strict && cands[1]?.length) this.stopped = true
        else if (ts < o.startBefore) {
          const attempt = { start: ts, times: [ts], breakdown: group[j].breakdown }
          cands[0].push({ attempt, used: [j] })
          this.started = true
          this.best ??= attempt
        }
      } else if (!cands[k - 1].length) {
        if (strict && this.started) this.stopped = true
      } else {
        for (const c of [...cands[k - 1]]) {
          if (ts - c.attempt.start > o.windowMs || c.used.includes(j)) continue
          const attempt = {
            start: c.attempt.start,
            times: [...c.attempt.times, ts],
            breakdown: c.attempt.breakdown ?? group[j].breakdown,
          }
          cands[k].push({ attempt, used: [...c.used, j] })
          if (k + 1 > (this.best?.times.length ?? 0)) this.best = attempt
        }
      }
    }
    // Between groups the latest start dominates: it has the most window left.
    this.levels = cands.map((cs) =>
      cs.reduce<Attempt | undefined>(
        (a, c) => (!a || c.attempt.start >= a.start ? c.attempt : a),
        undefined,
      ),
    )
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
