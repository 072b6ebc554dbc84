/**
 * The forecast's shapes and words (dashboard/src/lib/band-geometry.ts, forecast-words.ts):
 * history, mean and the 80%/95% bands as SVG paths; the holdout score in a sentence; a
 * threshold crossing counted from today, though the API counts from its last whole day.
 */
import { describe, expect, it } from 'vitest'
import type { SeriesForecast, ThresholdHeading } from '../../dashboard/src/api/types'
import { bandShapes } from '../../dashboard/src/lib/band-geometry'
import {
  crossingPhrase,
  headingSentence,
  holdoutSentence,
} from '../../dashboard/src/lib/forecast-words'

const history = [
  { day: '2026-12-01', value: 100 },
  { day: '2026-12-02', value: 50 },
  { day: '2026-12-03', value: 150 },
]
const forecast = [
  { day: '2026-12-04', mean: 100, lo80: 60, hi80: 140, lo95: -20, hi95: 180 },
  { day: '2026-12-05', mean: 120, lo80: 70, hi80: 170, lo95: 20, hi95: 200 },
]
const BOX = { width: 100, height: 60, pad: 10 }
/** The numbers of a path, as [x, y] pairs. */
const points = (d: string) =>
  [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])])

describe('forecast chart geometry', () => {
  it('spreads the days over the width and the values over the height, zero at the bottom', () => {
    const s = bandShapes(history, forecast, BOX)
    expect(points(s.history)).toEqual([
      [10, 30],
      [30, 40],
      [50, 20],
    ])
    // The mean starts at the last observed day, so history and forecast join.
    expect(points(s.mean)).toEqual([
      [50, 20],
      [70, 30],
      [90, 26],
    ])
    expect([s.yMin, s.yMax]).toEqual([0, 200])
    expect(s.ticks).toEqual([
      { value: 0, y: 50 },
      { value: 100, y: 30 },
      { value: 200, y: 10 },
    ])
    expect(s.splitX).toBe(60)
  })

  it('draws each band as a closed shape, the 80% inside the 95%, negatives at zero', () => {
    const s = bandShapes(history, forecast, BOX)
    expect(s.band95.endsWith(' Z')).toBe(true)
    // Upper edge left to right, then the lower edge back; -20 is drawn at 0 (y = 50).
    expect(points(s.band95)).toEqual([
      [70, 14],
      [90, 10],
      [90, 46],
      [70, 50],
    ])
    const p80 = points(s.band80)
    const p95 = points(s.band95)
    for (const i of [0, 1]) expect(p80[i][1]).toBeGreaterThan(p95[i][1])
    for (const i of [2, 3]) expect(p80[i][1]).toBeLessThan(p95[i][1])
  })

  it('draws nothing from nothing', () => {
    const s = bandShapes([], [], BOX)
    expect([s.history, s.mean, s.band80, s.band95, s.splitX]).toEqual(['', '', '', '', null])
  })
})

const OK: Extract<SeriesForecast, { status: 'ok' }> = {
  status: 'ok',
  method: 'holt_winters',
  season: 7,
  params: { alpha: 0.05, beta: 0.0005, phi: 0.9, gamma: 0.38 },
  sigma: 92.91,
  history_days: 90,
  forecast,
  holdout: {
    holdout_days: 22,
    mase: 0.8795,
    naive_mase: 1.124,
    coverage_80: 0.8182,
    coverage_95: 0.9091,
  },
  history,
}

describe('forecast words', () => {
  it('says how the method did on the days it held out', () => {
    expect(holdoutSentence(OK)).toBe(
      "Holt–Winters with a weekly season. On the last 22 days, held out: MASE 0.88 against seasonal-naive's 1.12 (lower is better); the 80% band held 82% of the days, the 95% band 91%.",
    )
    const flat = { ...OK, method: 'damped_holt' as const, holdout: { ...OK.holdout, mase: null } }
    expect(holdoutSentence(flat)).toMatch(/^Damped Holt .* no MASE \(seasonal-naive made no error/)
  })

  const heading = (lo: number, hi: number | null): ThresholdHeading => ({
    institution: 'pinecrest_savings',
    metric: 'error_rate',
    level: 'critical',
    in_days: lo,
    date: '2026-12-08',
    in_days_80: [lo, hi],
  })
  // as_of is the last whole day: day 1 after it is today.
  const phrase = (lo: number, hi: number | null) =>
    crossingPhrase(heading(lo, hi), '2026-12-03', '2026-12-04')

  it('counts a crossing’s 80% interval in days from today', () => {
    expect(phrase(4, 7)).toBe('crosses critical in 3–6 days')
    expect(phrase(2, 2)).toBe('crosses critical in 1 day')
    expect(phrase(1, 1)).toBe('crosses critical today')
    expect(phrase(1, 5)).toBe('crosses critical within 4 days')
    expect(phrase(4, null)).toBe(
      'crosses critical in 3 days or more (its 80% interval runs past the horizon)',
    )
    expect(phrase(1, null)).toBe(
      'crosses critical any day from today (its 80% interval runs past the horizon)',
    )
    // An answer computed two days ago still counts from today.
    expect(crossingPhrase(heading(4, 7), '2026-12-02', '2026-12-04')).toBe(
      'crosses critical in 2–5 days',
    )
  })

  it('names the institution and the metric, with the likeliest day', () => {
    expect(headingSentence(heading(4, 7), '2026-12-03', '2026-12-04')).toBe(
      'Pinecrest savings: error rate crosses critical in 3–6 days; likeliest Dec 8.',
    )
  })
})
