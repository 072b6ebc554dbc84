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
