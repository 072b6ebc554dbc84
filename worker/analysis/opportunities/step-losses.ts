/**
 * What the drop-off opportunities need from the runs beyond the §7.6 points: who dropped at
 * each step (for the overlaps and the once-only attribution, ./attribution.ts), and each
 * step's drop rate in every tier, device and institution segment (for the benchmark,
 * ./benchmark.ts). A segment's rate is the step's drop rate over the runs of that segment
 * alone, counted as §7.6 counts the whole (a user dropped there unless they completed the
 * workflow in one of those runs).
 */
import type { FeatureAccessRow } from '../../db/insights/feature-stats'
import type { Prices } from '../dropoffs'
import { segmentStepCounts } from './segment-rates'
import type { Run } from '../workflow-runs'
import type { WorkflowDef } from '../workflows'

/** A dropped user: the monthly price of their tier, and the bank their dropping run linked. */
export type LostUser = { price: number; institution: string | null }
/** A point's rate in one segment, e.g. `tier:premium`: users entered and dropped. */
export type SegmentRate = { segment: string; entered: number; dropped: number }

export const SEGMENT_DIMENSIONS = ['tier', 'device', 'institution'] as const

const userOf = (r: Run) => r.uid ?? `run:${r.run}`

/** Point id (`workflow:<name>:<step>`, as in ../dropoffs) → its dropped users. */
export function droppedUsers(def: WorkflowDef, runs: Run[], prices: Prices) {
  const decided = runs.filter((r) => r.outcome !== 'in_progress')
  const completed = new Set(decided.filter((r) => r.outcome === 'completed').map(userOf))
  const out = new Map<string, Map<string, LostUser>>()
  for (const run of [...decided].sort((a, b) => a.started_at - b.started_at)) {
    const user = userOf(run)
    if (run.drop_step === null || completed.has(user)) continue
    const id = `workflow:${def.name}:${run.drop_step}`
    const lost = out.get(id) ?? new Map<string, LostUser>()
    // The user's latest dropping run at the step stands for them, as in §7.6.
    lost.set(user, { price: prices.get(run.tier ?? '') ?? 0, institution: run.institution })
    out.set(id, lost)
  }
  return out
}

/** Point id → its rate in each segment with a value (runs with no tier, device or bank left out). */
export function stepSegments(def: WorkflowDef, runs: Run[]) {
  // Segments in the order the runs first show them.
  const buckets = new Map<string, Run[]>()
  for (const run of runs) {
    for (const dim of SEGMENT_DIMENSIONS) {
      const value = run[dim]
      if (!value) continue
      const key = `${dim}:${value}`
      const list = buckets.get(key) ?? []
      list.push(run)
      buckets.set(key, list)
    }
  }
  const counts = segmentStepCounts(def.steps, [...buckets.values()])
  const out = new Map<string, SegmentRate[]>()
  ;[...buckets.keys()].forEach((segment, s) => {
    def.steps.forEach((step, i) => {
      const { entered, dropped } = counts[s]
      if (entered[i] === 0) return
      const id = `workflow:${def.name}:${step}`
      const list = out.get(id) ?? []
      list.push({ segment, entered: entered[i], dropped: dropped[i] })
      out.set(id, list)
    })
  })
  return out
}

/** Feature point id (`feature:<name>`) → its rate in each tier. */
export function featureSegments(access: FeatureAccessRow[]) {
  const out = new Map<string, SegmentRate[]>()
  for (const a of access) {
    const id = `feature:${a.feature}`
    const list = out.get(id) ?? []
    list.push({ segment: `tier:${a.tier}`, entered: a.entered, dropped: a.dropped })
    out.set(id, list)
  }
  return out
}
