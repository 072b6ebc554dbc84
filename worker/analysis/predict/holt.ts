/**
 * Damped Holt and additive Holt–Winters as the state-space models ETS(A,Ad,N) and ETS(A,Ad,A)
 * (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §8.7), in
 * error-correction form with season length m:
 *   ŷ_t = ℓ_{t−1} + φ·b_{t−1} + s_{t−m},   e_t = y_t − ŷ_t
 *   ℓ_t = ℓ_{t−1} + φ·b_{t−1} + α·e_t,     b_t = φ·b_{t−1} + β·e_t,   s_t = s_{t−m} + γ·e_t
 * h steps ahead: ℓ_n + (φ + … + φ^h)·b_n + s_{n+h−m⌈h/m⌉}, with variance
 *   σ²·(1 + Σ_{j=1}^{h−1} c_j²),  c_j = α + β·(φ + … + φ^j) + γ·[j mod m = 0]
 * (FPP3 Table 8.8's general form), so intervals are ŷ ± z·σ_h. Parameters are chosen on a grid
 * by the one-step squared error (a coarse but deterministic stand-in for the MLE; φ = 1 is
 * undamped Holt, chosen only when a straight trend fits best); σ² is that
 * error's sum over n − (parameters + initial states).
 */
export type HoltParams = { alpha: number; beta: number; phi: number; gamma: number }
export type HoltFit = HoltParams & {
  season: number
  level: number
  trend: number
  seasonals: number[] // the last m seasonal states, oldest first
  sigma: number
  n: number
}

const ALPHAS = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1))
const BETA_SHARES = [0.01, 0.05, 0.1, 0.2, 0.4]
const PHIS = [0.8, 0.9, 0.95, 0.98, 1]
const GAMMA_SHARES = [0.01, 0.05, 0.1, 0.2, 0.4]

type State = { level: number; trend: number; seasonals: number[] }

function initial(y: number[], m: number): State {
  if (m <= 1) {
    const k = Math.min(4, y.length - 1)
    return { level: y[0], trend: k > 0 ? (y[k] - y[0]) / k : 0, seasonals: [0] }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length
  const first = mean(y.slice(0, m))
  const second = mean(y.slice(m, 2 * m))
  const trend = (second - first) / m
  // The level at time 0 so that the first season's mean sits mid-season.
  const level = first - trend * ((m - 1) / 2 + 1)
  const seasonals = y.slice(0, m).map((v, i) => v - (first + trend * (i - (m - 1) / 2)))
  return { level, trend, seasonals }
}

/** One pass: the sum of squared one-step errors and the final state. */
function run(y: number[], m: number, p: HoltParams, start: State) {
  let { level, trend } = start
  const seasonals = [...start.seasonals]
  let sse = 0
  for (let t = 0; t < y.length; t++) {
    const s = m > 1 ? seasonals[t % m] : 0
    const e = y[t] - (level + p.phi * trend + s)
    sse += e * e
    level = level + p.phi * trend + p.alpha * e
    trend = p.phi * trend + p.beta * e
    if (m > 1) seasonals[t % m] = s + p.gamma * e
  }
  // Rotate so the array is the last m seasonal states in time order.
  const rotated = m > 1 ? seasonals.map((_, i) => seasonals[(y.length + i) % m]) : [0]
  return { sse, state: { level, trend, seasonals: rotated } }
}

/** Fits damped Holt (`season` 1) or Holt–Winters (`season` 7 for weekly on daily data). */
export function fitHolt(y: number[], season = 1): HoltFit {
  const m = season
  const start = initial(y, m)
  let best: { sse: number; p: HoltParams; state: State } | null = null
  for (const alpha of ALPHAS) {
    for (const share of BETA_SHARES) {
      for (const phi of PHIS) {
        for (const g of m > 1 ? GAMMA_SHARES : [0]) {
          const p = { alpha, beta: alpha * share, phi, gamma: g * (1 - alpha) }
          const { sse, state } = run(y, m, p, start)
          if (!best || sse < best.sse) best = { sse, p, state }
        }
      }
    }
  }
  const k = (m > 1 ? 4 + m : 3) + 2
  const sigma = Math.sqrt(best!.sse / Math.max(1, y.length - k))
  return { ...best!.p, ...best!.state, season: m, sigma, n: y.length }
}

export type ForecastPoint = {
  h: number
  mean: number
  lo80: number
  hi80: number
  lo95: number
  hi95: number
}

const Z80 = 1.2815515655446004
const Z95 = 1.959963984540054

export function forecastHolt(fit: HoltFit, horizon: number): ForecastPoint[] {
  const out: ForecastPoint[] = []
  let phiSum = 0
  let varSum = 1
  for (let h = 1; h <= horizon; h++) {
    phiSum += fit.phi ** h
    const s = fit.season > 1 ? fit.seasonals[(h - 1) % fit.season] : 0
    const mean = fit.level + phiSum * fit.trend + s
    const sd = fit.sigma * Math.sqrt(varSum)
    out.push({
      h,
      mean,
      lo80: mean - Z80 * sd,
      hi80: mean + Z80 * sd,
      lo95: mean - Z95 * sd,
      hi95: mean + Z95 * sd,
    })
    // c_h, for the next step's variance: φ + … + φ^h is phiSum.
    const seasonal = fit.season > 1 && h % fit.season === 0 ? fit.gamma : 0
    varSum += (fit.alpha + fit.beta * phiSum + seasonal) ** 2
  }
  return out
}
