/**
 * Holdout evaluation of a forecast (DESIGN §7.10): the last `holdout` points are forecast from
 * a fit on the rest, then
 * - MASE = MAE of the forecast / in-sample MAE of the seasonal-naive forecast (y_t − y_{t−m}),
 *   Hyndman & Koehler (2006); below 1 beats the naive method's one-step error;
 * - the seasonal-naive forecast's own MASE over the same holdout, the bar to beat;
 * - coverage: the share of holdout points inside the 80% and 95% intervals.
 */
import { fitHolt, forecastHolt, type ForecastPoint } from './holt'

export type Evaluation = {
  holdout: number
  mase: number | null
  naive_mase: number | null
  coverage_80: number
  coverage_95: number
}

export function naiveScale(train: number[], m: number): number | null {
  let s = 0
  let n = 0
  for (let t = m; t < train.length; t++) {
    s += Math.abs(train[t] - train[t - m])
    n++
  }
  return n > 0 && s > 0 ? s / n : null
}

export function evaluate(points: ForecastPoint[], actual: number[], train: number[], m: number) {
  const scale = naiveScale(train, m)
  let mae = 0
  let naive = 0
  let in80 = 0
  let in95 = 0
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]
    const p = points[i]
    mae += Math.abs(y - p.mean) / actual.length
    // Seasonal naive: the value one season earlier (from the holdout itself past one season).
    const back = train.length + i - m * Math.ceil((i + 1) / m)
    naive += Math.abs(y - train[back]) / actual.length
    if (y >= p.lo80 && y <= p.hi80) in80++
    if (y >= p.lo95 && y <= p.hi95) in95++
  }
  return {
    holdout: actual.length,
    mase: scale === null ? null : mae / scale,
    naive_mase: scale === null ? null : naive / scale,
    coverage_80: in80 / actual.length,
    coverage_95: in95 / actual.length,
  }
}

/** Fit on all but the last `holdout` points, forecast those, and score them. */
export function backtest(y: number[], season: number, holdout: number): Evaluation {
  const train = y.slice(0, y.length - holdout)
  const points = forecastHolt(fitHolt(train, season), holdout)
  return evaluate(points, y.slice(y.length - holdout), train, Math.max(season, 7))
}
