/**
 * Slow-step opportunities: a step whose p90 time to the next step is at least twice the
 * workflow's median step (the median of its steps' median times). users_per_month = runs per
 * 30 days that took longer than twice that median; revenue_per_month is 0 (slowness is not
 * priced; its losses show as drop-offs).
 */
import { quantile, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { stepDurations } from '../workflow-steps'
import type { Run } from '../workflow-runs'
import type { WorkflowDef } from '../workflows'
import type { Candidate } from './rank'

export const MIN_MEASURED = 10

export function slowStepCandidates(
  workflows: { def: WorkflowDef; runs: Run[] }[],
  range: Range,
): Candidate[] {
  const out: Candidate[] = []
  for (const { def, runs } of workflows) {
    const decided = runs.filter((r) => r.outcome !== 'in_progress')
    const durations = stepDurations(decided, def.steps)
    const medians = durations.map((d) => quantile(d, 0.5)).filter((m): m is number => m !== null)
    if (medians.length < 2) continue
    const typical = quantile(medians, 0.5)!
    if (!(typical > 0)) continue
    durations.forEach((d, i) => {
      const p90 = quantile(d, 0.9)
      if (d.length < MIN_MEASURED || p90 === null || p90 < 2 * typical) return
      const slow = d.filter((s) => s > 2 * typical).length
      const [step, next] = [def.steps[i], def.steps[i + 1]]
      out.push({
        kind: 'slow_step',
        subject: `${def.name}:${step}:${next}`,
        title: `Slow step: ${def.name} ${step} → ${next}`,
        evidence: {
          workflow: def.name,
          step,
          next_step: next,
          median_s: round(quantile(d, 0.5), 1),
          p90_s: round(p90, 1),
          workflow_median_step_s: round(typical, 1),
          p90_to_median_step: round(p90 / typical, 2),
          runs_measured: d.length,
          slow_runs: slow,
        },
        users_per_month: perMonth(slow, range),
        revenue_per_month: 0,
        n: d.length,
        recommendation:
          `Speed up ${def.name} from ${step} to ${next}: one run in ten takes ${round(p90, 1)} s` +
          ` or more, ${round(p90 / typical, 1)}× the workflow's typical step (${round(typical, 1)} s);` +
          ` find what the user waits for there.`,
      })
    })
  }
  return out
}
