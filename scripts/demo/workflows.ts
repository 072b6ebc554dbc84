/**
 * Workflow runs as `step` events. A step event reports how one attempt at a step ended —
 * `completed`, `failed` (with a reason; the user may retry the same step in the same run) or
 * `abandoned` (with a reason) — and its `value` is the seconds the attempt took. The first
 * event of a run is its first step with status `started`. Some abandons leave no event at
 * all (the tab was closed), as in real data.
 */
import { WORKFLOWS, type WorkflowName } from './catalog'
import type { Rng } from './random'
import { MODELS, type RunContext } from './step-models'
import type { Timeline } from './timeline'

export type { RunContext }
export type RunOutcome = 'completed' | 'failed' | 'abandoned'

/** Share of abandons that send nothing: the drop then shows at the step before. */
const SILENT_ABANDON = 0.25
const MAX_ATTEMPTS = 3

export const STEPS = {} as Record<WorkflowName, readonly string[]>
for (const w of WORKFLOWS) STEPS[w.name] = w.steps

/** How a run ended, and at which step and why when it did not complete. */
export type RunResult = { outcome: RunOutcome; step?: string; reason?: string }

/** Durations spread this much (log-normal sigma): a step's p90 is about 1.6× its median. */
const SPREAD = 0.35

/** Plays one run on the timeline; `onStep` lets the caller add events beside a step. */
export function runWorkflow(
  tl: Timeline,
  rng: Rng,
  workflow: WorkflowName,
  ctx: RunContext,
  onStep?: (step: string, status: RunOutcome) => void,
): RunResult {
  const run = tl.newRunId()
  const steps = STEPS[workflow]
  const emit = (step: string, status: string, seconds: number, reason?: string) =>
    tl.emit('step', {
      workflow,
      run,
      step,
      status: status as RunOutcome,
      value: Math.round(seconds * 10) / 10,
      ...(reason ? { reason } : {}),
      // The bank is known once the user picked it, from the second step on.
      ...(ctx.institution && step !== steps[0] ? { institution: ctx.institution } : {}),
    })

  emit(steps[0], 'started', 0)
  for (const step of steps.slice(1)) {
    const m = MODELS[workflow](step, ctx)
    for (let attempt = 1; ; attempt++) {
      if (m.abandon && rng.chance(m.abandon)) {
        const seconds = rng.logNormal(m.seconds, SPREAD)
        const reason = rng.weighted(m.abandonReasons!)
        tl.wait(seconds)
        if (rng.chance(SILENT_ABANDON)) return { outcome: 'abandoned', step }
        emit(step, 'abandoned', seconds, reason)
        return { outcome: 'abandoned', step, reason }
      }
      if (m.fail && rng.chance(m.fail)) {
        const reason = rng.weighted(m.failReasons!)
        const slow = reason === 'mfa_timeout' && m.failSeconds
        const seconds = rng.logNormal(slow ? m.failSeconds! : m.seconds, slow ? 0.15 : SPREAD)
        tl.wait(seconds)
        emit(step, 'failed', seconds, reason)
        onStep?.(step, 'failed')
        if (attempt < MAX_ATTEMPTS && rng.chance(m.retry ?? 0)) {
          tl.wait(rng.between(3, 20))
          continue
        }
        return { outcome: 'failed', step, reason }
      }
      const seconds = rng.logNormal(m.seconds, SPREAD)
      tl.wait(seconds)
      emit(step, 'completed', seconds)
      onStep?.(step, 'completed')
      break
    }
  }
  return { outcome: 'completed' }
}
