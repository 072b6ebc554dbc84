/**
 * Per-step numbers of a workflow (DESIGN §7.2), over decided runs (in-progress ones excluded):
 * `reached`, `conversion_to_next` (share of runs reaching the step that reach the next),
 * `median_s` / `p90_s` from the first event at the step to the first event at the next,
 * `dropped` (runs that ended there failed or abandoned) and the `reasons` they gave.
 */
import { increment, quantile, ranked, rate, round } from './numbers'
import { reachedFlags, type Run } from './workflow-runs'

export type ReasonCount = { reason: string; count: number; share: number }
export type StepReport = {
  step: string
  reached: number
  conversion_to_next: number | null
  median_s: number | null
  p90_s: number | null
  dropped: number
  drop_rate: number | null
  reasons: ReasonCount[]
}

const TOP_REASONS = 5

export function stepReports(decided: Run[], steps: string[]): StepReport[] {
  const reached = steps.map(() => 0)
  const onward = steps.map(() => 0)
  const dropped = steps.map(() => 0)
  const reasons = steps.map(() => new Map<string, number>())
  const durations = stepDurations(decided, steps)
  for (const run of decided) {
    const seen = reachedFlags(run, steps)
    for (let i = 0; i < steps.length; i++) {
      if (!seen[i]) continue
      reached[i]++
      if (i + 1 < steps.length && seen[i + 1]) onward[i]++
    }
    const at = run.drop_step === null ? -1 : steps.indexOf(run.drop_step)
    if (at >= 0) {
      dropped[at]++
      increment(reasons[at], run.reason ?? 'unknown')
    }
  }
  return steps.map((step, i) => ({
    step,
    reached: reached[i],
    conversion_to_next: i + 1 < steps.length ? round(rate(onward[i], reached[i]), 4) : null,
    median_s: round(quantile(durations[i], 0.5), 1),
    p90_s: round(quantile(durations[i], 0.9), 1),
    dropped: dropped[i],
    drop_rate: round(rate(dropped[i], reached[i]), 4),
    reasons: ranked(reasons[i], TOP_REASONS).map(({ key, count, share }) => ({
      reason: key,
      count,
      share,
    })),
  }))
}

/**
 * Seconds from each step's first event to the next step's first event, per step, in ascending
 * order: their readers take quantiles, and `quantile` sorts a copy of an already sorted list in
 * one pass, where a list of thousands in run order costs it a full comparison sort each time.
 */
export function stepDurations(runs: Run[], steps: string[]): number[][] {
  const out = steps.map((): number[] => [])
  for (const run of runs) {
    const first = new Map<string, number>()
    for (const e of run.events) if (!first.has(e.step)) first.set(e.step, e.ts)
    for (let i = 0; i + 1 < steps.length; i++) {
      const from = first.get(steps[i])
      const to = first.get(steps[i + 1])
      if (from !== undefined && to !== undefined && to >= from) out[i].push((to - from) / 1000)
    }
  }
  return out.map(ascending)
}

/** Numbers in ascending order, by the typed array's numeric sort (no comparator calls). */
export function ascending(values: number[]): number[] {
  const sorted = new Float64Array(values).sort()
  const out: number[] = new Array(sorted.length)
  for (let i = 0; i < sorted.length; i++) out[i] = sorted[i]
  return out
}

/**
 * A workflow without configured steps gets them from the data: its most frequent steps (at
 * most `max`), ordered by where they first appear in a run on average (ties by name), with a
 * `complete` step last.
 */
export function observedSteps(runs: Pick<Run, 'events'>[], max = 20): string[] {
  const seen = new Map<string, { runs: number; position: number }>()
  for (const run of runs) {
    const order = [...new Set(run.events.map((e) => e.step))]
    order.forEach((step, i) => {
      const s = seen.get(step) ?? { runs: 0, position: 0 }
      seen.set(step, { runs: s.runs + 1, position: s.position + i })
    })
  }
  const last = (s: string) => (s === 'complete' ? 1 : 0)
  return [...seen]
    .sort((a, b) => b[1].runs - a[1].runs || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .sort(
      (a, b) =>
        last(a[0]) - last(b[0]) ||
        a[1].position / a[1].runs - b[1].position / b[1].runs ||
        (a[0] < b[0] ? -1 : 1),
    )
    .map(([step]) => step)
}
