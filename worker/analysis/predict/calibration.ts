/**
 * How good the probabilities are, beyond ranking (auc.ts):
 * - Brier score: mean (p − y)², 0 perfect, 0.25 a coin at a 50% base rate.
 * - ECE (expected calibration error): 10 equal-width bins of p; Σ_bins (n_b / n)·|mean p − rate|.
 * - Top-decile lift: churn rate among the 10% highest-scored (⌈n/10⌉ users) / base rate.
 */
export function brier(probs: number[], labels: number[]): number | null {
  if (probs.length === 0) return null
  let s = 0
  for (let i = 0; i < probs.length; i++) s += (probs[i] - labels[i]) ** 2
  return s / probs.length
}

export function expectedCalibrationError(probs: number[], labels: number[], bins = 10) {
  const n = probs.length
  if (n === 0) return null
  const sumP = new Array<number>(bins).fill(0)
  const sumY = new Array<number>(bins).fill(0)
  const count = new Array<number>(bins).fill(0)
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(probs[i] * bins))
    sumP[b] += probs[i]
    sumY[b] += labels[i]
    count[b]++
  }
  let ece = 0
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += (count[b] / n) * Math.abs(sumP[b] / count[b] - sumY[b] / count[b])
  }
  return ece
}

export function topDecileLift(probs: number[], labels: number[]): number | null {
  const n = probs.length
  const base = labels.reduce((a, y) => a + y, 0) / n
  if (n === 0 || base === 0) return null
  const top = Math.ceil(n / 10)
  const order = probs.map((p, i) => [p, labels[i]] as const).sort((a, b) => b[0] - a[0])
  const rate = order.slice(0, top).reduce((a, [, y]) => a + y, 0) / top
  return rate / base
}
