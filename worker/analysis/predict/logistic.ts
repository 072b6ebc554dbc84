/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS). It minimises
 *   Σ_i logloss(y_i, σ(b + w·x_i)) + (λ/2)·‖w‖²
 * with the intercept b unpenalised — scikit-learn's `LogisticRegression(C = 1/λ)` objective.
 * The objective is strictly convex for λ > 0, so Newton converges in a handful of steps; each
 * step solves a (k+1)×(k+1) system, tiny for the eight churn features. Pure JS: Workers-safe.
 */
export type Logistic = { intercept: number; weights: number[]; iterations: number }

export const sigmoid = (z: number) =>
  z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))

export function logit(m: Logistic, x: number[]): number {
  let z = m.intercept
  for (let j = 0; j < x.length; j++) z += m.weights[j] * x[j]
  return z
}

export function fitLogistic(xs: number[][], ys: number[], lambda = 1, maxIter = 50): Logistic {
  const k = xs[0]?.length ?? 0
  const p = k + 1
  let beta = new Array<number>(p).fill(0)
  let iterations = 0
  for (; iterations < maxIter; iterations++) {
    const grad = new Array<number>(p).fill(0)
    const hess = Array.from({ length: p }, () => new Array<number>(p).fill(0))
    for (let i = 0; i < xs.length; i++) {
      const x = [1, ...xs[i]]
      let z = 0
      for (let j = 0; j < p; j++) z += beta[j] * x[j]
      const mu = sigmoid(z)
      const w = Math.max(mu * (1 - mu), 1e-10)
      for (let a = 0; a < p; a++) {
        grad[a] += (mu - ys[i]) * x[a]
        for (let b = a; b < p; b++) hess[a][b] += w * x[a] * x[b]
      }
    }
    for (let a = 1; a < p; a++) {
      grad[a] += lambda * beta[a]
      hess[a][a] += lambda
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hess[a][b] = hess[b][a]
    const step = solve(hess, grad)
    beta = beta.map((v, j) => v - step[j])
    if (Math.max(...step.map(Math.abs)) < 1e-10) {
      iterations++
      break
    }
  }
  return { intercept: beta[0], weights: beta.slice(1), iterations }
}

/** Gaussian elimination with partial pivoting: A x = b (A is copied). */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length
  const m = A.map((row, i) => [...row, b[i]])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r
    ;[m[c], m[piv]] = [m[piv], m[c]]
    const d = m[c][c] || 1e-12
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / d
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k]
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n]
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k]
    x[r] = s / (m[r][r] || 1e-12)
  }
  return x
}
