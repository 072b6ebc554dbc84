/** Hand-built workflow runs for the pure tests: events as `[seconds after t0, step, status?, reason?]`. */
import type { WorkflowRunRow } from '../../../worker/db/insights/workflow-runs'

export const T0 = Date.parse('2026-03-02T10:00:00Z')
export const NOW = T0 + 10 * 86_400_000
export const STEPS = ['start', 'connect', 'verify', 'complete']

type Ev = [number, string, string?, string?]

export function runRow(
  run: string,
  events: Ev[],
  attrs: Partial<WorkflowRunRow> = {},
  base = T0,
): WorkflowRunRow {
  const ts = events.map(([s]) => base + s * 1000)
  return {
    workflow: 'account_linking',
    run,
    uid: `u-${run}`,
    tier: 'free',
    device: 'desktop',
    institution: null,
    started_at: Math.min(...ts),
    last_at: Math.max(...ts),
    // Reversed, as SQLite gives no order: the analysis must sort.
    trail: JSON.stringify(
      events
        .map(([s, step, status, reason]) => [base + s * 1000, step, status ?? null, reason ?? null])
        .reverse(),
    ),
    ...attrs,
  }
}

/**
 * Seven runs of account_linking: two completed (one after retrying verify), three failed or
 * abandoned at verify (two with mfa_timeout), one failed at connect, one in progress.
 */
export function sevenRuns(): WorkflowRunRow[] {
  return [
    runRow(
      'r1',
      [
        [0, 'start', 'started'],
        [10, 'connect', 'completed'],
        [40, 'verify', 'completed'],
        [50, 'complete', 'completed'],
      ],
      { tier: 'premium' },
    ),
    runRow(
      'r2',
      [
        [0, 'start', 'started'],
        [20, 'connect', 'completed'],
        [80, 'verify', 'failed', 'mfa_timeout'],
        [120, 'verify', 'completed'],
        [130, 'complete', 'completed'],
      ],
      { tier: 'premium' },
    ),
    runRow('r3', [
      [0, 'start', 'started'],
      [10, 'connect', 'completed'],
      [60, 'verify', 'failed', 'mfa_timeout'],
    ]),
    runRow('r4', [
      [0, 'start', 'started'],
      [30, 'connect', 'completed'],
      [90, 'verify', 'abandoned', 'closed_modal'],
    ]),
    runRow('r5', [
      [0, 'start', 'started'],
      [15, 'connect', 'completed'],
      [45, 'verify', 'failed', 'mfa_timeout'],
    ]),
    runRow('r6', [[0, 'start', 'started']], {}, NOW - 60_000),
    runRow('r7', [
      [0, 'start', 'started'],
      [20, 'connect', 'failed', 'institution_error'],
    ]),
  ]
}
