/**
 * The benchmark's segment rates (opportunities/segment-rates.ts count users in typed arrays)
 * against the drop-off points' own formula (dropoffs.ts workflowDropoffs, over sets of users)
 * run on each segment's runs alone, on generated runs: users with several runs in several
 * segments, runs without a uid, in-progress runs, retries, drops at every step.
 */
import { describe, expect, it } from 'vitest'
import { workflowDropoffs } from '../../../worker/analysis/dropoffs'
import {
  stepSegments,
  SEGMENT_DIMENSIONS,
} from '../../../worker/analysis/opportunities/step-losses'
import { seeded } from '../../../worker/analysis/predict/random'
import type { Run } from '../../../worker/analysis/workflow-runs'
import { classifyRuns, type WorkflowDef } from '../../../worker/analysis/workflows'
import { NOW, STEPS, T0, runRow } from './runs'

const DEF: WorkflowDef = {
  name: 'account_linking',
  steps: STEPS,
  steps_source: 'config',
  dropoff_type: 'integration',
  dropoff_type_source: 'config',
  conversion_window_s: 1800,
}

function generatedRuns(seed: number, n: number): Run[] {
  const rnd = seeded(seed)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]
  const rows = Array.from({ length: n }, (_, i) => {
    const events: [number, string, string?, string?][] = [[0, 'start', 'started']]
    const stop = Math.floor(rnd() * STEPS.length)
    for (let s = 1; s <= stop; s++) {
      if (rnd() < 0.2) events.push([s * 10 - 5, STEPS[s], 'failed', pick(['mfa', 'timeout'])])
      events.push([s * 10, STEPS[s], pick(['completed', 'completed', 'failed', 'abandoned'])])
    }
    // Some runs start just now: still in progress.
    const base = rnd() < 0.1 ? NOW - 60_000 : T0 + Math.floor(rnd() * 50) * 60_000
    return runRow(
      `r${i}`,
      events,
      {
        uid: rnd() < 0.1 ? null : `u${Math.floor(rnd() * n * 0.4)}`,
        tier: pick(['free', 'plus', 'premium', null]),
        device: pick(['mobile', 'desktop']),
        institution: pick([null, 'harbor_bank', 'slow_bank', 'bluegate']),
      },
      base,
    )
  })
  return classifyRuns(DEF, rows, NOW)
}

/** The old way: each segment's runs through workflowDropoffs, segments as the runs show them. */
function viaPoints(runs: Run[]) {
  const buckets = new Map<string, Run[]>()
  for (const run of runs) {
    for (const dim of SEGMENT_DIMENSIONS) {
      const value = run[dim]
      if (value) buckets.set(`${dim}:${value}`, [...(buckets.get(`${dim}:${value}`) ?? []), run])
    }
  }
  const out = new Map<string, { segment: string; entered: number; dropped: number }[]>()
  for (const [segment, mine] of buckets) {
    for (const p of workflowDropoffs(DEF, mine, new Map()).points) {
      out.set(p.id, [...(out.get(p.id) ?? []), { segment, entered: p.entered, dropped: p.dropped }])
    }
  }
  return out
}

describe('segment rates', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`match the drop-off points' counts per segment (seed ${seed})`, () => {
      const runs = generatedRuns(seed, 400)
      const expected = viaPoints(runs)
      expect([...expected.values()].flat().some((s) => s.dropped > 0)).toBe(true)
      expect([...stepSegments(DEF, runs)]).toEqual([...expected])
    })
  }
})
