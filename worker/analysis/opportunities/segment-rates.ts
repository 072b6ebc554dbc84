/**
 * Each step's users entered and dropped in every segment of a workflow's runs, counted as
 * ../dropoffs counts the whole workflow (over decided runs; a user dropped at a step unless
 * they completed the workflow in one of the segment's runs), for the benchmark's segment rates
 * (./step-losses.ts). A run is in up to three segments and a workflow has dozens, so users are
 * numbered once and each segment marks them in typed arrays instead of building sets of names.
 */
import type { Run } from '../workflow-runs'
import { reachedFlags } from '../workflow-runs'

const userOf = (r: Run) => r.uid ?? `run:${r.run}`

/** Per segment, in the order given: per step, its users entered and dropped. */
export function segmentStepCounts(
  steps: string[],
  segments: Run[][],
): { entered: number[]; dropped: number[] }[] {
  const ids = new Map<Run, number>()
  const users = new Map<string, number>()
  const at = new Map<Run, number>()
  for (const list of segments) {
    for (const run of list) {
      if (ids.has(run)) continue
      const user = userOf(run)
      if (!users.has(user)) users.set(user, users.size)
      ids.set(run, users.get(user)!)
      at.set(run, run.drop_step === null ? -1 : steps.indexOf(run.drop_step))
    }
  }
  const n = steps.length
  // A mark holds the index of the last segment that counted the user (there), so the arrays
  // serve every segment without being cleared.
  const completed = new Int32Array(users.size).fill(-1)
  const entered = new Int32Array(users.size * n).fill(-1)
  const dropped = new Int32Array(users.size * n).fill(-1)
  return segments.map((list, s) => {
    const counts = { entered: steps.map(() => 0), dropped: steps.map(() => 0) }
    for (const run of list) if (run.outcome === 'completed') completed[ids.get(run)!] = s
    for (const run of list) {
      if (run.outcome === 'in_progress') continue
      const u = ids.get(run)!
      const reached = reachedFlags(run, steps)
      for (let i = 0; i < n; i++) {
        if (reached[i] && entered[u * n + i] !== s) {
          entered[u * n + i] = s
          counts.entered[i]++
        }
      }
      const i = at.get(run)!
      if (i >= 0 && completed[u] !== s && dropped[u * n + i] !== s) {
        dropped[u * n + i] = s
        counts.dropped[i]++
      }
    }
    return counts
  })
}
