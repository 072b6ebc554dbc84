import { describe, expect, it } from 'vitest'
import { auc, aucInterval } from '../../../worker/analysis/predict/auc'
import {
  brier,
  expectedCalibrationError,
  topDecileLift,
} from '../../../worker/analysis/predict/calibration'
import { engagementScores } from '../../../worker/analysis/predict/engagement'
import { factorsOf } from '../../../worker/analysis/predict/factors'
import { fitLogistic, logit, sigmoid } from '../../../worker/analysis/predict/logistic'
import { percentileRanks } from '../../../worker/analysis/predict/percentile-rank'
import { normal, seeded } from '../../../worker/analysis/predict/random'
import { fitScaler, standardise } from '../../../worker/analysis/predict/standardise'

describe('percentile ranks and engagement', () => {
  it('gives tied values the same mid-rank', () => {
    // By hand: below + ½·equal over n = 4.
    expect(percentileRanks([10, 20, 20, 30])).toEqual([0.125, 0.5, 0.5, 0.875])
  })

  it('weights recency, frequency, breadth and depth .3/.3/.2/.2', () => {
    const scores = engagementScores([
      { days_since_active: 0, active_days: 20, features: 5, completions: 3 },
      { days_since_active: 10, active_days: 5, features: 1, completions: 0 },
    ])
    // By hand: the first user ranks .75 on every part, the second .25: 75 and 25.
    expect(scores).toEqual([75, 25])
  })
})

describe('L2 logistic regression', () => {
  it('matches an independent gradient-descent fit of the same objective', () => {
    // Fixture: plain Python, gradient descent (not Newton) to |gradient| < 1e-12:
    //   import math
    //   xs = [[math.sin(i * 1.3) * 2, math.cos(i * 0.7) + (i % 5) * 0.3] for i in range(40)]
    //   ys = [1 if (0.8 * x[0] - 1.1 * x[1] + math.sin(i * 2.9)) > 0 else 0
    //         for i, x in enumerate(xs)]
    //   lam = 1.0; b = [0.0, 0.0, 0.0]
    //   for it in range(200000):
    //       g = [0.0, 0.0, 0.0]
    //       for x, y in zip(xs, ys):
    //           p = 1 / (1 + math.exp(-(b[0] + b[1] * x[0] + b[2] * x[1])))
    //           g[0] += p - y; g[1] += (p - y) * x[0]; g[2] += (p - y) * x[1]
    //       g[1] += lam * b[1]; g[2] += lam * b[2]
    //       b = [bi - 0.01 * gi for bi, gi in zip(b, g)]
    //       if max(abs(v) for v in g) < 1e-12: break
    //   print(b)  # [-0.48603298819112606, 1.4831792869051323, -1.5688424055456534]
    const xs = Array.from({ length: 40 }, (_, i) => [
      Math.sin(i * 1.3) * 2,
      Math.cos(i * 0.7) + (i % 5) * 0.3,
    ])
    const ys = xs.map((x, i) => (0.8 * x[0] - 1.1 * x[1] + Math.sin(i * 2.9) > 0 ? 1 : 0))
    const m = fitLogistic(xs, ys, 1)
    expect(m.intercept).toBeCloseTo(-0.48603298819112606, 8)
    expect(m.weights[0]).toBeCloseTo(1.4831792869051323, 8)
    expect(m.weights[1]).toBeCloseTo(-1.5688424055456534, 8)
    expect(m.iterations).toBeLessThan(15)
  })

  it('recovers known coefficients from a large simulated sample', () => {
    const random = seeded(7)
    const xs = Array.from({ length: 20_000 }, () => [normal(random), normal(random)])
    const ys = xs.map((x) => (random() < sigmoid(-1 + 2 * x[0] - 0.5 * x[1]) ? 1 : 0))
    const m = fitLogistic(xs, ys, 0.01)
    expect(m.intercept).toBeCloseTo(-1, 1)
    expect(m.weights[0]).toBeCloseTo(2, 1)
    expect(m.weights[1]).toBeCloseTo(-0.5, 1)
  })
})

describe('standardised factors', () => {
  it('add up to the logit minus the intercept', () => {
    const raw = [
      [1, 10, 0],
      [3, 20, 1],
      [5, 60, 0],
      [2, 15, 1],
      [8, 5, 1],
      [4, 30, 0],
    ]
    const ys = [0, 1, 0, 1, 1, 0]
    const scaler = fitScaler(raw)
    const m = fitLogistic(
      raw.map((r) => standardise(r, scaler)),
      ys,
      1,
    )
    for (const r of raw) {
      const f = factorsOf(['a', 'b', 'c'], m.weights, r, scaler.means, scaler.sds)
      const total = f.reduce((s, x) => s + x.contribution, 0)
      expect(total).toBeCloseTo(logit(m, standardise(r, scaler)) - m.intercept, 12)
    }
  })
})

describe('ranking and calibration metrics', () => {
  const s = [0.9, 0.8, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.3, 0.2, 0.1]
  const y = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0]

  it('AUC equals the brute-force pair count', () => {
    // Python, every (positive, negative) pair, ties half:
    //   pos = [a for a, l in zip(s, y) if l]; neg = [a for a, l in zip(s, y) if not l]
    //   sum(1 if p > n else 0.5 if p == n else 0 for p in pos for n in neg) / (len(pos) * len(neg))
    //   → 0.7714285714285715
    expect(auc(s, y)).toBeCloseTo(0.7714285714285715, 12)
  })

  it('has no AUC with one class', () => {
    expect(auc([0.1, 0.2], [0, 0])).toBeNull()
  })

  it('bootstraps a reproducible interval around the AUC', () => {
    const random = seeded(3)
    const ys = Array.from({ length: 400 }, () => (random() < 0.3 ? 1 : 0))
    const ps = ys.map((v) => v * 0.8 + random())
    const a = auc(ps, ys)!
    const ci = aucInterval(ps, ys, 300, 11)!
    expect(ci[0]).toBeLessThan(a)
    expect(ci[1]).toBeGreaterThan(a)
    expect(aucInterval(ps, ys, 300, 11)).toEqual(ci)
  })

  it('computes Brier, ECE and top-decile lift as by hand', () => {
    const p = [0.05, 0.15, 0.15, 0.85, 0.95, 0.55, 0.45, 0.25, 0.35, 0.65]
    const l = [0, 0, 1, 1, 1, 1, 0, 0, 0, 1]
    // Brier by hand: Σ(p−y)² = .0025+.0225+.7225+.0225+.0025+.2025+.2025+.0625+.1225+.1225 = 1.485
    expect(brier(p, l)).toBeCloseTo(0.1485, 12)
    // Bins (width .1): [.05]→0, [.15,.15]→1, [.25], [.35], [.45], [.55], [.65], [.85], [.95].
    // |gap|·n: .05 + 2·|.15−.5| + .25 + .35 + .45 + .45 + .35 + .15 + .05 = 2.8 → /10
    expect(expectedCalibrationError(p, l)).toBeCloseTo(0.28, 12)
    // Top ⌈10/10⌉ = 1 user (.95, churned): rate 1 / base .5 = 2.
    expect(topDecileLift(p, l)).toBe(2)
  })

  it('finds a well-calibrated model calibrated', () => {
    const random = seeded(5)
    const p = Array.from({ length: 50_000 }, () => random())
    const l = p.map((v) => (random() < v ? 1 : 0))
    expect(expectedCalibrationError(p, l)!).toBeLessThan(0.01)
    // Brier of perfectly calibrated uniform p: E[p(1−p)] = 1/6.
    expect(brier(p, l)!).toBeCloseTo(1 / 6, 2)
  })
})
