/**
 * A rate as every §7.8 number carries it: value, its `n`, the 95% Wilson interval and its
 * health against a threshold (`insufficient_data` below `min_sample`).
 */
import { round, wilson } from '../numbers'
import { healthOf, type Health, type Threshold } from '../thresholds'

export type RateStat = {
  value: number | null
  n: number
  interval: [number, number] | null
  status: Health
}

export type Judge = { threshold?: Threshold; minSample: number }

export function rateStat(x: number, n: number, judge: Judge): RateStat {
  const value = n > 0 ? x / n : null
  const interval = wilson(x, n)
  return {
    value: round(value, 4),
    n,
    interval: interval && [round(interval[0], 4), round(interval[1], 4)],
    status: healthOf(value, n, judge.threshold, judge.minSample),
  }
}

/**
 * Shares of `counts` in their total, rounded to 4 decimals so that they still sum to exactly 1
 * (largest remainder: the units lost to rounding go to the largest fractions). Null when empty.
 */
export function sharesOf<K extends string>(counts: Record<K, number>): Record<K, number> | null {
  const entries = Object.entries(counts) as [K, number][]
  const total = entries.reduce((s, [, c]) => s + c, 0)
  if (total <= 0) return null
  const UNITS = 10_000
  const exact = entries.map(([k, c]) => [k, (c / total) * UNITS] as const)
  const floors = new Map(exact.map(([k, x]) => [k, Math.floor(x)]))
  let left = UNITS - [...floors.values()].reduce((s, x) => s + x, 0)
  for (const [k] of [...exact].sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
    if (left-- <= 0) break
    floors.set(k, floors.get(k)! + 1)
  }
  return Object.fromEntries(entries.map(([k]) => [k, floors.get(k)! / UNITS])) as Record<K, number>
}
