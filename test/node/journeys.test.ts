/** Journey math (DESIGN §7.4) on hand-built stage events; every expected number is written out. */
import { describe, expect, it } from 'vitest'
import {
  conversionPoints,
  journeyDropoffs,
  stageTable,
  success,
  transitions,
} from '../../worker/analysis/journey-report'
import { JourneyFold, filterJourneys, type Stage } from '../../worker/analysis/journeys'

const DAY = 86_400_000

/** Folds `[uid, day, stage]` triples, in the order given (time order per user). */
function fold(events: [string, number, Stage, string?][]) {
  const f = new JourneyFold()
  for (const [uid, day, stage, tier] of events) f.add({ uid, ts: day * DAY, stage, tier })
  return f.users()
}

const row = (table: ReturnType<typeof stageTable>, stage: Stage) =>
  table.find((r) => r.stage === stage)!

describe('journeys', () => {
  it('ends a journey at churn: later stage events are ignored', () => {
    const users = fold([
      ['u1', 0, 'awareness'],
      ['u1', 1, 'onboarding'],
      ['u1', 2, 'churn'],
      ['u1', 3, 'feature_usage'],
    ])
    const table = stageTable(users)
    expect(row(table, 'onboarding')).toMatchObject({ reached: 1, current: 0 })
    expect(row(table, 'feature_usage')).toMatchObject({ reached: 0, current: 0 })
    expect(row(table, 'churn')).toMatchObject({ reached: 1, current: 1 })
    expect(transitions(users)).toEqual([
      { from: 'awareness', to: 'onboarding', count: 1, users: 1 },
      { from: 'onboarding', to: 'churn', count: 1, users: 1 },
    ])
  })

  it('counts consecutive pairs only, and no pair for a repeated stage', () => {
    const users = fold([
      ['u1', 0, 'awareness'],
      ['u1', 1, 'consideration'],
      ['u1', 2, 'onboarding'],
      ['u2', 0, 'awareness'],
      ['u2', 1, 'onboarding'],
      ['u2', 2, 'onboarding'],
      ['u2', 3, 'feature_discovery'],
      ['u2', 4, 'onboarding'],
      ['u2', 5, 'feature_discovery'],
    ])
    // u1 never went awareness → onboarding directly, so that pair is u2's alone
    expect(transitions(users)).toEqual([
      { from: 'onboarding', to: 'feature_discovery', count: 2, users: 1 },
      { from: 'awareness', to: 'consideration', count: 1, users: 1 },
      { from: 'awareness', to: 'onboarding', count: 1, users: 1 },
      { from: 'consideration', to: 'onboarding', count: 1, users: 1 },
      { from: 'feature_discovery', to: 'onboarding', count: 1, users: 1 },
    ])
  })

  it('counts reached by furthest stage, current by last stage, and their conversion', () => {
    const users = fold([
      ['u1', 0, 'awareness'],
      ['u1', 2, 'onboarding'],
      ['u2', 0, 'awareness'],
      ['u2', 4, 'feature_usage'],
      ['u2', 5, 'onboarding'], // went back: furthest stays feature_usage, current is onboarding
      ['u3', 0, 'awareness'],
    ])
    const table = stageTable(users)
    expect(table.map((r) => [r.stage, r.reached, r.current, r.conversion_to_next])).toEqual([
      ['awareness', 3, 1, 0.6667],
      ['consideration', 2, 0, 1],
      ['onboarding', 2, 2, 0.5],
      ['feature_discovery', 1, 0, 1],
      ['feature_usage', 1, 0, 0],
      ['advanced_usage', 0, 0, 0],
      ['advocacy', 0, 0, null],
      ['churn', 0, 0, null],
    ])
    // onboarding: u1 after 2 days, u2 skipped to feature_usage after 4 days → median 3 days
    expect(row(table, 'onboarding').median_time_to_reach_s).toBe(3 * 86_400)
  })

  it('rates success as reaching the success stage without churning, over all who entered', () => {
    const users = fold([
      ['u1', 0, 'feature_usage'],
      ['u2', 0, 'advanced_usage'],
      ['u3', 0, 'feature_usage'],
      ['u3', 1, 'churn'],
      ['u4', 0, 'onboarding'],
    ])
    expect(success(users, 'feature_usage')).toEqual({
      entered: 4,
      succeeded: 2,
      success_rate: 0.5,
    })
  })

  it('counts drop-offs: inactive at their last stage, plus explicit churn from it', () => {
    const users = fold([
      ['u1', 5, 'onboarding'], // last seen day 10: 20 days quiet by day 30 → dropped
      ['u2', 5, 'onboarding'], // last seen day 25: active → not dropped
      ['u3', 5, 'onboarding'],
      ['u3', 6, 'churn'], // churned from onboarding
      ['u4', 1, 'awareness'], // nothing since day 1 → dropped at awareness
      ['u5', 1, 'awareness'],
      ['u5', 2, 'feature_usage'], // last seen day 20: 10 days quiet, under 14 → not dropped
    ])
    const lastSeen = new Map([
      ['u1', 10 * DAY],
      ['u2', 25 * DAY],
      ['u5', 20 * DAY],
    ])
    const dropoffs = journeyDropoffs(users, lastSeen, 30 * DAY, 14 * DAY)
    expect(dropoffs.filter((d) => d.dropped)).toEqual([
      { stage: 'awareness', inactive: 1, churned: 0, dropped: 1, drop_rate: 0.2 },
      { stage: 'onboarding', inactive: 1, churned: 1, dropped: 2, drop_rate: 0.5 },
    ])
  })

  it('lists conversion points of the journey users with rate and time from first seen', () => {
    const users = fold([
      ['u1', 0, 'awareness'],
      ['u2', 0, 'awareness'],
      ['u3', 0, 'awareness'],
      ['u4', 0, 'awareness'],
    ])
    const rows = [
      { name: 'first_feature_use', uid: 'u1', first_ts: 2 * DAY, first_seen: 0 },
      { name: 'first_feature_use', uid: 'u2', first_ts: 5 * DAY, first_seen: DAY },
      { name: 'plan_upgrade', uid: 'u3', first_ts: 10 * DAY, first_seen: 0 },
      { name: 'plan_upgrade', uid: 'stranger', first_ts: DAY, first_seen: 0 },
    ]
    expect(conversionPoints(rows, users)).toEqual([
      { name: 'first_feature_use', users: 2, rate: 0.5, median_time_from_first_seen_s: 3 * 86_400 },
      { name: 'plan_upgrade', users: 1, rate: 0.25, median_time_from_first_seen_s: 10 * 86_400 },
    ])
  })

  it('filters users by the latest tier their stage events carried', () => {
    const users = fold([
      ['u1', 0, 'awareness', 'free'],
      ['u1', 1, 'feature_usage', 'premium'],
      ['u2', 0, 'awareness', 'free'],
    ])
    expect(filterJourneys(users, { tier: 'premium' }).map((u) => u.uid)).toEqual(['u1'])
    expect(filterJourneys(users, { tier: 'free' }).map((u) => u.uid)).toEqual(['u2'])
  })
})
