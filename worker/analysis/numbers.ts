/** Small numeric helpers shared by the insight analyses (feature value, workflows, drop-offs). */

/**
 * The q-quantile by linear interpolation between closest ranks (numpy's default, Excel's
 * PERCENTILE.INC): sorted x, h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantile(values: number[], q: number): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** `part / whole`, or null when there is nothing to divide by (no data, not zero). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

export function round(x: number, digits: number): number
export function round(x: number | null, digits: number): number | null
export function round(x: number | null, digits: number): number | null {
  if (x === null) return null
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Counts of the same key, ranked: most frequent first, ties by name so output is stable. */
export function ranked(counts: Map<string, number>, limit: number) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([key, count]) => ({ key, count, share: round(count / total, 4) }))
}

export function increment(counts: Map<string, number>, key: string, by = 1) {
  counts.set(key, (counts.get(key) ?? 0) + by)
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054

/**
 * The 95% Wilson score interval of `x` successes in `n` trials (Wilson 1927; what
 * statsmodels' `proportion_confint(method='wilson')` gives): centre (p + z²/2n) / (1 + z²/n),
 * half-width z·√(p(1 − p)/n + z²/4n²) / (1 + z²/n). Null without trials.
 */
export function wilson(x: number, n: number): [number, number] | null {
  if (n <= 0) return null
  const p = x / n
  const z2 = Z95 * Z95
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}
