/**
 * Value histograms of the performance rollups (migrations/0008): a value's bucket is its lower
 * bound at two significant digits (1234 → 1200, 87 → 87, 0.4 → 0), and each bucket keeps its
 * count and sum. Merged buckets answer a percentile of any period: the nearest-rank bucket's
 * mean, which is the exact percentile when that bucket holds equal values and is always within
 * the bucket (≤ 10% of the value wide, 1% at the top of a decade).
 */

/** The SQL twin of `bucketOf` for a column `v` ≥ 0 (the rollup computes buckets in SQLite). */
export function bucketSql(v: string): string {
  const iv = `CAST(${v} AS INTEGER)`
  const scale = `CAST(substr('10000000000000000000', 1, max(length(${iv}) - 1, 1)) AS INTEGER)`
  return `(${iv} / ${scale} * ${scale})`
}

export function bucketOf(value: number): number {
  const iv = Math.trunc(value)
  const digits = String(iv).length
  const scale = 10 ** Math.max(digits - 2, 0)
  return Math.floor(iv / scale) * scale
}

/** bucket lower bound → [count, sum] */
export type Histogram = Map<number, [number, number]>

export function addTo(h: Histogram, bucket: number, count: number, sum: number): void {
  const b = h.get(bucket)
  if (b) {
    b[0] += count
    b[1] += sum
  } else h.set(bucket, [count, sum])
}

export function countOf(h: Histogram): number {
  let n = 0
  for (const [c] of h.values()) n += c
  return n
}

/**
 * The nearest-rank percentiles (rank ⌈q·n⌉, as PostgreSQL's percentile_disc) of the values
 * behind `h`: the mean of the bucket holding that rank, rounded to the unit. Null when empty.
 */
export function percentiles<Q extends number>(
  h: Histogram,
  qs: readonly Q[],
): Map<Q, number | null> {
  const buckets = [...h].sort((a, b) => a[0] - b[0])
  const n = countOf(h)
  const out = new Map<Q, number | null>()
  for (const q of qs) {
    if (!n) {
      out.set(q, null)
      continue
    }
    const rank = Math.max(1, Math.ceil(q * n))
    let seen = 0
    for (const [, [count, sum]] of buckets) {
      seen += count
      if (seen >= rank) {
        out.set(q, Math.round(sum / count))
        break
      }
    }
  }
  return out
}
