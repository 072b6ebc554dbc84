import { describe, expect, it } from 'vitest'
import { observedSteps } from '../../../worker/analysis/workflow-steps'
import { parseTrail } from '../../../worker/analysis/workflow-runs'
import { analyzeWorkflow, classifyRuns, type WorkflowDef } from '../../../worker/analysis/workflows'
import { NOW, STEPS, runRow, sevenRuns } from './runs'

const DEF: WorkflowDef = {
  name: 'account_linking',
  steps: STEPS,
  steps_source: 'config',
  dropoff_type: 'integration',
  dropoff_type_source: 'config',
  conversion_window_s: 1800,
}
const report = () => analyzeWorkflow(DEF, classifyRuns(DEF, sevenRuns(), NOW))

describe('workflow analysis', () => {
  it('counts outcomes and leaves the run in progress out of the completion rate', () => {
    const r = report()
    expect([r.started, r.completed, r.failed, r.abandoned, r.in_progress]).toEqual([7, 2, 3, 1, 1])
    expect(r.completion_rate).toBe(0.3333) // 2 of the 6 decided runs
  })

  it('takes the median duration of completed runs, first event to last step', () => {
    expect(report().median_duration_s).toBe(90) // runs of 50 s and 130 s
  })

  it('counts runs reaching each step and converting to the next', () => {
    const steps = report().steps.map((s) => [s.step, s.reached, s.conversion_to_next])
    expect(steps).toEqual([
      ['start', 6, 1],
      ['connect', 6, 0.8333],
      ['verify', 5, 0.4],
      ['complete', 2, null],
    ])
  })

  it('measures median and p90 seconds from a step to the next', () => {
    const steps = report().steps.map((s) => [s.step, s.median_s, s.p90_s])
    // start→connect: 10 10 15 20 20 30; connect→verify: 30 30 50 60 60; verify→complete: 10 50
    expect(steps).toEqual([
      ['start', 17.5, 25],
      ['connect', 50, 60],
      ['verify', 30, 46],
      ['complete', null, null],
    ])
  })

  it('ranks the reasons of runs that dropped at a step', () => {
    const verify = report().steps[2]
    expect([verify.dropped, verify.drop_rate]).toEqual([3, 0.6])
    expect(verify.reasons).toEqual([
      { reason: 'mfa_timeout', count: 2, share: 0.6667 },
      { reason: 'closed_modal', count: 1, share: 0.3333 },
    ])
  })

  it('lists the paths as walked, a retried step twice, with their completion rate', () => {
    expect(report().common_paths).toEqual([
      { path: ['start', 'connect', 'verify'], runs: 3, completed: 0, completion_rate: 0 },
      { path: ['start', 'connect'], runs: 1, completed: 0, completion_rate: 0 },
      {
        path: ['start', 'connect', 'verify', 'complete'],
        runs: 1,
        completed: 1,
        completion_rate: 1,
      },
      {
        path: ['start', 'connect', 'verify', 'verify', 'complete'],
        runs: 1,
        completed: 1,
        completion_rate: 1,
      },
    ])
  })

  it('breaks outcomes down by tier', () => {
    expect(report().breakdown.tier).toEqual({
      free: {
        started: 5,
        completed: 0,
        failed: 3,
        abandoned: 1,
        in_progress: 1,
        completion_rate: 0,
      },
      premium: {
        started: 2,
        completed: 2,
        failed: 0,
        abandoned: 0,
        in_progress: 0,
        completion_rate: 1,
      },
    })
  })

  it('orders unconfigured steps by where they first appear in runs', () => {
    const runs = [
      runRow('a', [
        [0, 'pick'],
        [5, 'pay'],
        [9, 'complete'],
      ]),
      runRow('b', [
        [0, 'pick'],
        [3, 'review'],
        [5, 'pay'],
      ]),
      runRow('c', [
        [0, 'pick'],
        [4, 'pay'],
        [6, 'review'],
      ]),
    ].map((r) => ({ events: parseTrail(r.trail) }))
    // positions: pick 0,0,0; pay 1,2,1 (1.33); review 1,2 (1.5); complete always last
    expect(observedSteps(runs)).toEqual(['pick', 'pay', 'review', 'complete'])
  })
})
