/**
 * When a metric's trend crosses a threshold (DESIGN §7.10): an ordinary least-squares line
 * through the daily values y_0 … y_{n−1}, and the first day t > n−1 (up to `horizon` days on)
 * where the fitted line is beyond the threshold in its bad direction. The 80% interval is
 * read the same way off the line's 80% confidence band ŷ(t) ± t₀.₉,ₙ₋₂ · s·√(1/n + (t − t̄)²/Sxx):
 * the earliest day is where the band's bad edge crosses, the latest where its good edge does
 * (null: not within the horizon). A line moving the good way, or flat, crosses never.
 */
import { t90 } from './student-t'

export type Crossing =
  | { status: 'already' }
  | { status: 'none' }
  | { status: 'crosses'; in_days: number; in_days_80: [number, number | null] }

export function lineFit(y: number[]) {
  const n = y.length
  const tMean = (n - 1) / 2
  const yMean = y.reduce((a, v) => a + v, 0) / n
  let sxx = 0
  let sxy = 0
  for (let t = 0; t < n; t++) {
    sxx += (t - tMean) ** 2
    sxy += (t - tMean) * (y[t] - yMean)
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  const intercept = yMean - slope * tMean
  let sse = 0
  for (let t = 0; t < n; t++) sse += (y[t] - intercept - slope * t) ** 2
  const s = n > 2 ? Math.sqrt(sse / (n - 2)) : 0
  return { n, slope, intercept, s, tMean, sxx }
}

export function crossing(
  y: number[],
  limit: number,
  direction: 'below' | 'above',
  horizon = 90,
): Crossing | null {
  if (y.length < 7) return null
  const f = lineFit(y)
  const q = t90(f.n - 2)
  const beyond = (v: number) => (direction === 'below' ? v < limit : v > limit)
  const at = (t: number) => f.intercept + f.slope * t
  const half = (t: number) => q * f.s * Math.sqrt(1 / f.n + (t - f.tMean) ** 2 / f.sxx)
  const last = f.n - 1
  if (beyond(at(last))) return { status: 'already' }
  const bad = direction === 'below' ? -1 : 1
  let mean: number | null = null
  let early: number | null = null
  let late: number | null = null
  for (let d = 1; d <= horizon; d++) {
    const t = last + d
    if (early === null && beyond(at(t) + bad * half(t))) early = d
    if (mean === null && beyond(at(t))) mean = d
    if (late === null && beyond(at(t) - bad * half(t))) late = d
  }
  if (mean === null) return { status: 'none' }
  return { status: 'crosses', in_days: mean, in_days_80: [early ?? mean, late] }
}
