/** Medians and rounding shared by the funnel, journey and retention analyses. */

/** The middle value (the mean of the two middle values for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (!values.length) return null
  const sorted = Float64Array.from(values).sort() // numeric, and ~3× a comparator sort
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** A median of millisecond durations, in seconds to one decimal. */
export function medianSeconds(ms: number[]): number | null {
  const m = median(ms)
  return m === null ? null : Math.round(m / 100) / 10
}

/** `part / whole` to four decimals; 0 when the whole is 0, so empty data reads as zeros. */
export function ratio(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : 0
}
