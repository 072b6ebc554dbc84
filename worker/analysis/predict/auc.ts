/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a random
 * positive scores above a random negative, ties counting half. Computed from mid-ranks in
 * O(n log n). `null` when either class is empty (no pair to compare).
 */
import { percentileRanks } from './percentile-rank'
import { seeded } from './random'

export function auc(scores: number[], labels: number[]): number | null {
  const n = scores.length
  const pos = labels.filter((y) => y === 1).length
  const neg = n - pos
  if (pos === 0 || neg === 0) return null
  // percentileRanks gives (below + ½ equal)/n; mid-rank (1-based) = that × n + ½.
  const ranks = percentileRanks(scores)
  let sum = 0
  for (let i = 0; i < n; i++) if (labels[i] === 1) sum += ranks[i] * n + 0.5
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg)
}

/**
 * Percentile bootstrap 95% interval of the AUC: `rounds` resamples with replacement (seeded,
 * so the card is reproducible); a resample with one class only is skipped.
 */
export function aucInterval(
  scores: number[],
  labels: number[],
  rounds = 500,
  seed = 1,
): [number, number] | null {
  const random = seeded(seed)
  const n = scores.length
  const values: number[] = []
  const s = new Array<number>(n)
  const l = new Array<number>(n)
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n)
      s[i] = scores[k]
      l[i] = labels[k]
    }
    const a = auc(s, l)
    if (a !== null) values.push(a)
  }
  if (values.length < rounds / 2) return null
  values.sort((a, b) => a - b)
  return [quantile(values, 0.025), quantile(values, 0.975)]
}

/** Linear interpolation between order statistics (R type 7) of a sorted array. */
export function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}
