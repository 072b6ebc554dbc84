import { describe, expect, it } from 'vitest'
import { dropoffReport, impactScores, priorityOf } from '../../../worker/analysis/dropoff-impact'
import { inferDropoffType } from '../../../worker/analysis/dropoff-types'
import { classifyRuns, type WorkflowDef } from '../../../worker/analysis/workflows'
import type { WorkflowRunRow } from '../../../worker/db/insights/workflow-runs'
import { NOW, STEPS, runRow, sevenRuns } from './runs'

const DEF: WorkflowDef = {
  name: 'account_linking',
  steps: STEPS,
  steps_source: 'config',
  dropoff_type: 'integration',
  dropoff_type_source: 'config',
  conversion_window_s: 1800,
}
const PRICES = new Map([
  ['free', 0],
  ['plus', 10],
  ['premium', 20],
])

/**
 * u1, u2 complete (premium); u3 fails verify twice (free); u4 abandons verify then completes in
 * a later run (plus); u5 fails connect (plus); r6 is in progress.
 */
function report() {
  const rows: WorkflowRunRow[] = sevenRuns().map((r) => {
    const uid = { r1: 'u1', r2: 'u2', r3: 'u3', r4: 'u4', r5: 'u3', r6: 'u6', r7: 'u5' }[r.run]!
    return { ...r, uid, tier: r.run === 'r4' || r.run === 'r7' ? 'plus' : r.tier }
  })
  rows.push(
    runRow(
      'r8',
      [
        [0, 'start', 'started'],
        [9, 'connect', 'completed'],
        [20, 'verify', 'completed'],
        [30, 'complete', 'completed'],
      ],
      { uid: 'u4', tier: 'plus' },
      rows[0].started_at + 3600_000,
    ),
  )
  return dropoffReport([{ def: DEF, runs: classifyRuns(DEF, rows, NOW) }], [], [], PRICES)
}

describe('drop-off points', () => {
  it('counts distinct users, and not a user who completed the workflow in another run', () => {
    const verify = report().points.find((p) => p.step === 'verify')!
    // entered: u1 u2 u3 u4; dropped: u3 only (twice, counted once; u4 completed later)
    expect([verify.entered, verify.dropped, verify.drop_rate]).toEqual([4, 1, 0.25])
    expect(verify.common_reasons).toEqual([{ reason: 'mfa_timeout', count: 1, share: 1 }])
  })

  it("prices revenue at risk at the dropped users' tier", () => {
    const connect = report().points.find((p) => p.step === 'connect')!
    expect([connect.dropped, connect.revenue_at_risk]).toEqual([1, 10]) // u5 on plus
  })

  it('scores impact from drop rate, volume and revenue at risk, and ranks by it', () => {
    // connect: 100·(.4·.2 + .3·1 + .3·10/10) = 68; verify: 100·(.4·.25 + .3·1 + 0) = 40
    const points = report().points.map((p) => [p.step, p.impact_score, p.priority])
    expect(points.slice(0, 2)).toEqual([
      ['connect', 68, 'critical'],
      ['verify', 40, 'high'],
    ])
  })

  it('renormalises impact without the revenue term when nothing is at risk', () => {
    // 100·(.4·.5 + .3·1) / .7
    expect(impactScores([{ drop_rate: 0.5, dropped: 4, revenue_at_risk: 0 }])).toEqual([71.4])
  })

  it('sums each type over its workflows in distinct users and lists all seven types', () => {
    const { types } = report()
    expect(Object.keys(types).sort()).toEqual([
      'configuration',
      'feature_access',
      'integration',
      'onboarding',
      'payment',
      'verification',
      'workflow_step',
    ])
    const t = types.integration
    expect([t.entered, t.dropped, t.drop_rate, t.revenue_at_risk, t.points]).toEqual([
      5, 2, 0.4, 10, 2,
    ])
    // nobody entered a payment workflow: no drop rate, rather than 0
    expect([types.payment.entered, types.payment.drop_rate, types.payment.points]).toEqual([
      0,
      null,
      0,
    ])
  })

  it('names priorities by impact score', () => {
    expect([priorityOf(60), priorityOf(40), priorityOf(20), priorityOf(19.9)]).toEqual([
      'critical',
      'high',
      'medium',
      'low',
    ])
  })

  it('infers an undeclared type from the workflow name', () => {
    expect(
      [
        'plan_upgrade',
        'identity_verification',
        'account_linking',
        'onboarding',
        'budget_setup',
        'share_receipt',
      ].map(inferDropoffType),
    ).toEqual([
      'payment',
      'verification',
      'integration',
      'onboarding',
      'configuration',
      'workflow_step',
    ])
  })
})
