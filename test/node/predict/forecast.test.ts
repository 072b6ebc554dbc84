import { describe, expect, it } from 'vitest'
import { associationRules, recommend } from '../../../worker/analysis/predict/association'
import { crossing } from '../../../worker/analysis/predict/crossing'
import { backtest } from '../../../worker/analysis/predict/forecast-eval'
import { fitHolt, forecastHolt, type HoltFit } from '../../../worker/analysis/predict/holt'
import { normal, seeded } from '../../../worker/analysis/predict/random'
import { t90 } from '../../../worker/analysis/predict/student-t'

/** A series from ETS(A,Ad,N) (season 1) or ETS(A,Ad,A) with the given parameters. */
function simulate(n: number, seed: number, season = 1) {
  const random = seeded(seed)
  const [alpha, beta, phi, gamma] = [0.3, 0.05, 0.9, 0.1]
  let level = 100
  let trend = 1
  const seasonals = Array.from({ length: season }, (_, i) => (season > 1 ? 10 * Math.sin(i) : 0))
  const y: number[] = []
  for (let t = 0; t < n; t++) {
    const e = normal(random) * 2
    const s = seasonals[t % season]
    y.push(level + phi * trend + s + e)
    level = level + phi * trend + alpha * e
    trend = phi * trend + beta * e
    if (season > 1) seasonals[t % season] = s + gamma * e
  }
  return y
}

describe('damped Holt', () => {
  it('recovers a known linear trend', () => {
    const random = seeded(1)
    const y = Array.from({ length: 120 }, (_, t) => 50 + 2 * t + normal(random))
    const fit = fitHolt(y)
    expect(fit.trend).toBeGreaterThan(1.8)
    expect(fit.trend).toBeLessThan(2.2)
    const [next] = forecastHolt(fit, 1)
    expect(Math.abs(next.mean - (50 + 2 * 120))).toBeLessThan(3)
  })

  it("has the closed-form h-step variance of FPP3's Table 8.8 for ETS(A,Ad,N)", () => {
    const fit: HoltFit = {
      alpha: 0.4,
      beta: 0.1,
      phi: 0.9,
      gamma: 0,
      season: 1,
      level: 10,
      trend: 1,
      seasonals: [0],
      sigma: 1,
      n: 100,
    }
    const { alpha: a, beta: b, phi: p } = fit
    // σ_h² = 1 + α²(h−1) + βφh/(1−φ)² {2α(1−φ) + βφ}
    //          − βφ(1−φ^h)/((1−φ)²(1−φ²)) {2α(1−φ²) + βφ(1 + 2φ − φ^h)}
    const closed = (h: number) =>
      1 +
      a * a * (h - 1) +
      ((b * p * h) / (1 - p) ** 2) * (2 * a * (1 - p) + b * p) -
      ((b * p * (1 - p ** h)) / ((1 - p) ** 2 * (1 - p * p))) *
        (2 * a * (1 - p * p) + b * p * (1 + 2 * p - p ** h))
    const points = forecastHolt(fit, 10)
    for (const pt of points) {
      const sd = (pt.hi95 - pt.mean) / 1.959963984540054
      expect(sd * sd).toBeCloseTo(closed(pt.h), 10)
    }
    // Mean: ℓ + (φ + φ² + φ³)·b at h = 3.
    expect(points[2].mean).toBeCloseTo(10 + 0.9 + 0.81 + 0.729, 12)
  })

  it('covers at the nominal 80% and 95% rates over many seeded series', () => {
    let in80 = 0
    let in95 = 0
    let total = 0
    for (let seed = 1; seed <= 300; seed++) {
      const y = simulate(400, seed)
      const ev = backtest(y, 1, 7)
      in80 += ev.coverage_80 * 7
      in95 += ev.coverage_95 * 7
      total += 7
    }
    expect(Math.abs(in80 / total - 0.8)).toBeLessThan(0.05)
    expect(Math.abs(in95 / total - 0.95)).toBeLessThan(0.05)
  })
})

describe('weekly Holt–Winters', () => {
  it('covers at the nominal rates and beats seasonal-naive on seasonal series', () => {
    let in80 = 0
    let in95 = 0
    let total = 0
    let beats = 0
    for (let seed = 1; seed <= 150; seed++) {
      const y = simulate(112, seed, 7)
      const ev = backtest(y, 7, 14)
      in80 += ev.coverage_80 * 14
      in95 += ev.coverage_95 * 14
      total += 14
      if (ev.mase! < ev.naive_mase!) beats++
    }
    expect(Math.abs(in80 / total - 0.8)).toBeLessThan(0.05)
    expect(Math.abs(in95 / total - 0.95)).toBeLessThan(0.05)
    expect(beats / 150).toBeGreaterThan(0.5)
  })
})

describe('threshold crossing', () => {
  it('lands on the first day a linear decline is below the threshold', () => {
    // 0.99 − 0.0013·t over 28 days; below 0.95 first at t = ⌊0.04/0.0013⌋ + 1 = 31, i.e. 4 days
    // after the last (t = 27).
    const y = Array.from({ length: 28 }, (_, t) => 0.99 - 0.0013 * t)
    const c = crossing(y, 0.95, 'below')
    expect(c).toEqual({ status: 'crosses', in_days: 4, in_days_80: [4, 4] })
  })

  it('brackets the true day with its 80% interval on a noisy decline', () => {
    const random = seeded(2)
    const y = Array.from({ length: 28 }, (_, t) => 0.99 - 0.001 * t + normal(random) * 0.002)
    const c = crossing(y, 0.9, 'below')
    // True line crosses 0.9 at t = 90 → 63 days after t = 27.
    if (c?.status !== 'crosses') throw new Error(`no crossing: ${JSON.stringify(c)}`)
    expect(c.in_days_80[0]).toBeLessThanOrEqual(63)
    expect(c.in_days_80[1] ?? Infinity).toBeGreaterThanOrEqual(63)
  })

  it('says none for a metric improving and already for one past it', () => {
    const up = Array.from({ length: 14 }, (_, t) => 0.96 + 0.001 * t)
    expect(crossing(up, 0.95, 'below')).toEqual({ status: 'none' })
    const latency = Array.from({ length: 14 }, (_, t) => 6500 + t)
    expect(crossing(latency, 6000, 'above')).toEqual({ status: 'already' })
    expect(crossing([1, 2, 3], 0, 'below')).toBeNull()
  })

  it('approximates t quantiles (R: qt(0.9, c(5, 10, 30)) = 1.475884 1.372184 1.310415)', () => {
    expect(t90(5)).toBeCloseTo(1.475884, 2)
    expect(t90(10)).toBeCloseTo(1.372184, 3)
    expect(t90(30)).toBeCloseTo(1.310415, 4)
  })
})

describe('association rules', () => {
  it('keeps rules over the support, n and lift limits and recommends unused features', () => {
    // 100 users: 40 use {a, b}, 10 use {a}, 10 use {b}, 40 use {c}.
    // a → b: both 40, n_a 50, conf .8, P(b) .5 → lift 1.6; a → c never co-occur.
    const users = [
      ...Array.from({ length: 40 }, () => new Set(['a', 'b'])),
      ...Array.from({ length: 10 }, () => new Set(['a'])),
      ...Array.from({ length: 10 }, () => new Set(['b'])),
      ...Array.from({ length: 40 }, () => new Set(['c'])),
    ]
    const rules = associationRules(users)
    expect(rules.map((r) => [r.from, r.to, r.lift]).sort()).toEqual([
      ['a', 'b', 1.6],
      ['b', 'a', 1.6],
    ])
    expect(recommend(new Set(['a']), rules)).toEqual([
      { feature: 'b', lift: 1.6, because: 'a', score: 1.6 },
    ])
    expect(recommend(new Set(['c']), rules)).toEqual([])
  })

  it('needs 30 users of the antecedent', () => {
    const users = [
      ...Array.from({ length: 20 }, () => new Set(['a', 'b'])),
      ...Array.from({ length: 80 }, () => new Set(['c'])),
    ]
    expect(associationRules(users).filter((r) => r.from === 'a')).toEqual([])
  })
})
