/** Retention math (DESIGN §7.5) on a cohort table written out by hand. */
import { describe, expect, it } from 'vitest'
import { cohortStarts, offsetsOf, retentionTable } from '../../worker/analysis/retention'

/**
 * Three weekly cohorts. Active periods per user (0 = the week they were first seen):
 *   cohort 0: u1 [0,1,2]  u2 [0,2]  u3 [0]  u4 [0,1]
 *   cohort 1: u5 [0,1]    u6 [0]
 *   cohort 2: u7 [0]
 */
const patterns = [
  { cohort: 0, offsets: [0, 1, 2], users: 1 },
  { cohort: 0, offsets: [0, 2], users: 1 },
  { cohort: 0, offsets: [0], users: 1 },
  { cohort: 0, offsets: [0, 1], users: 1 },
  { cohort: 1, offsets: [0, 1], users: 1 },
  { cohort: 1, offsets: [0], users: 1 },
  { cohort: 2, offsets: [0], users: 1 },
]
const starts = ['2026-01-05', '2026-01-12', '2026-01-19']

describe('retention', () => {
  it('in "on" mode, retains a user in the periods they were active in', () => {
    expect(retentionTable(patterns, { starts, mode: 'on', partialLast: false })).toEqual({
      cohorts: [
        { start: '2026-01-05', size: 4, retained: [4, 2, 2], rates: [1, 0.5, 0.5] },
        { start: '2026-01-12', size: 2, retained: [2, 1], rates: [1, 0.5] },
        { start: '2026-01-19', size: 1, retained: [1], rates: [1] },
      ],
      // period 1: (2 + 1) / (4 + 2); period 2: 2 / 4
      average: [1, 0.5, 0.5],
      partial_last_period: false,
    })
  })

  it('in "on_or_after" mode, retains a user in every period up to their last active one', () => {
    expect(retentionTable(patterns, { starts, mode: 'on_or_after', partialLast: false })).toEqual({
      cohorts: [
        { start: '2026-01-05', size: 4, retained: [4, 3, 2], rates: [1, 0.75, 0.5] },
        { start: '2026-01-12', size: 2, retained: [2, 1], rates: [1, 0.5] },
        { start: '2026-01-19', size: 1, retained: [1], rates: [1] },
      ],
      // period 1: (3 + 1) / (4 + 2)
      average: [1, 0.6667, 0.5],
      partial_last_period: false,
    })
  })

  it('leaves a partial last period out of the average', () => {
    const table = retentionTable(patterns, { starts, mode: 'on', partialLast: true })
    // period 0 without cohort 2's (partial) week: 6 / 6; period 1 without cohort 1's: 2 / 4
    expect(table.average).toEqual([1, 0.5, null])
    expect(table.cohorts[2].retained).toEqual([1])
    expect(table.partial_last_period).toBe(true)
  })

  it('gives an empty cohort no rates (null), not 0 or NaN', () => {
    expect(retentionTable([], { starts: ['2026-01-05'], mode: 'on', partialLast: false })).toEqual({
      cohorts: [{ start: '2026-01-05', size: 0, retained: [0], rates: [null] }],
      average: [null],
      partial_last_period: false,
    })
  })

  it('reads the active periods out of a bit mask beyond 32 bits', () => {
    expect(offsetsOf(0b1011)).toEqual([0, 1, 3])
    expect(offsetsOf(2 ** 52 + 1)).toEqual([0, 52])
  })

  it('cuts a from/to range into weekly cohorts, the last one partial', () => {
    const from = Date.parse('2026-01-05T00:00:00Z')
    const to = Date.parse('2026-01-22T00:00:00Z') // 2026-01-21 inclusive: 17 days
    expect(cohortStarts({ from, to }, 'week')).toEqual({
      starts: ['2026-01-05', '2026-01-12', '2026-01-19'],
      fromDay: '2026-01-05',
      toDay: '2026-01-22',
      partialLast: true, // 3 days of the last week
    })
  })

  it('takes the whole days of a rolling period, up to and including today', () => {
    const now = Date.parse('2026-01-10T15:00:00Z')
    const r = cohortStarts({ from: now - 3 * 86_400_000, to: now }, 'day', now)
    expect(r).toEqual({
      starts: ['2026-01-08', '2026-01-09', '2026-01-10'],
      fromDay: '2026-01-08',
      toDay: '2026-01-11',
      partialLast: true, // today is not over
    })
  })

  it('keeps the most recent 53 cohorts of a longer range', () => {
    const to = Date.parse('2026-12-31T00:00:00Z')
    const r = cohortStarts({ from: to - 365 * 86_400_000, to }, 'day')
    expect(r.starts.length).toBe(53)
    expect(r.starts.at(-1)).toBe('2026-12-30')
    expect(r.fromDay).toBe('2026-11-08')
  })
})
