import { describe, expect, it } from 'vitest'
import { classifyRun, walkedPath } from '../../../worker/analysis/workflow-runs'
import { NOW, STEPS, runRow } from './runs'

const WINDOW = 30 * 60_000
const classify = (events: Parameters<typeof runRow>[1], base?: number) =>
  classifyRun(runRow('r', events, {}, base), STEPS, WINDOW, NOW)

describe('a workflow run', () => {
  it('is completed when it reaches the last step', () => {
    const run = classify([
      [0, 'start', 'started'],
      [5, 'connect', 'completed'],
      [9, 'complete', 'completed'],
    ])
    expect(run.outcome).toBe('completed')
    expect(run.completed_at! - run.started_at).toBe(9000)
  })

  it('is abandoned at once when it says so, at that step, with its reason', () => {
    const run = classify(
      [
        [0, 'start', 'started'],
        [5, 'verify', 'abandoned', 'closed_modal'],
      ],
      NOW - 1000,
    )
    expect([run.outcome, run.drop_step, run.reason]).toEqual([
      'abandoned',
      'verify',
      'closed_modal',
    ])
  })

  it('is failed when a failure was not retried within the conversion window', () => {
    const run = classify([
      [0, 'start', 'started'],
      [5, 'verify', 'failed', 'mfa_timeout'],
    ])
    expect([run.outcome, run.drop_step, run.reason]).toEqual(['failed', 'verify', 'mfa_timeout'])
  })

  it('is still in progress right after a failure, which the user may retry', () => {
    const run = classify(
      [
        [0, 'start', 'started'],
        [5, 'verify', 'failed', 'mfa_timeout'],
      ],
      NOW - 60_000,
    )
    expect(run.outcome).toBe('in_progress')
  })

  it('is abandoned for no activity after a silent window, at the step after the last one completed', () => {
    const run = classify([
      [0, 'start', 'started'],
      [5, 'connect', 'completed'],
    ])
    expect([run.outcome, run.drop_step, run.reason]).toEqual(['abandoned', 'verify', 'no_activity'])
  })

  it('walks retries as separate visits and merges repeated events of one visit', () => {
    const run = classify([
      [0, 'start', 'started'],
      [1, 'start'],
      [5, 'verify', 'failed', 'mfa_timeout'],
      [9, 'verify', 'completed'],
    ])
    expect(walkedPath(run)).toEqual(['start', 'verify', 'verify'])
  })
})
