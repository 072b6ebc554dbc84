import { describe, expect, it } from 'vitest'
import { fillDays } from '../../dashboard/src/lib/series'

const row = (day: string, n: number) => ({ day, n })

describe('dashboard daily series', () => {
  it('gives every day of the period, zero where nothing happened', () => {
    const period = { from: '2026-03-01T10:00:00.000Z', to: '2026-03-04T10:00:00.000Z' }
    expect(
      fillDays([row('2026-03-02', 5), row('2026-03-04', 1)], period, (d) => row(d, 0)),
    ).toEqual([
      row('2026-03-01', 0),
      row('2026-03-02', 5),
      row('2026-03-03', 0),
      row('2026-03-04', 1),
    ])
  })

  it('ends on the last day a custom range includes', () => {
    const period = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }
    expect(fillDays([], period, (d) => row(d, 0)).map((r) => r.day)).toEqual([
      '2026-03-01',
      '2026-03-02',
    ])
  })
})
