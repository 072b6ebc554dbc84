/**
 * The 95% interval of a difference of two proportions p1 − p2 by Newcombe's hybrid score
 * method (Newcombe 1998, "Interval estimation for the difference between independent
 * proportions", method 10): with (l1, u1) and (l2, u2) the Wilson intervals of each,
 * lower = δ − √((p1 − l1)² + (u2 − p2)²), upper = δ + √((u1 − p1)² + (p2 − l2)²). It stays
 * inside [−1, 1] and behaves at 0 and n events, where the Wald interval does not.
 */
import { wilson } from '../../numbers'

export type Proportion = { x: number; n: number }

export function newcombeDiff(a: Proportion, b: Proportion): [number, number] | null {
  const wa = wilson(a.x, a.n)
  const wb = wilson(b.x, b.n)
  if (!wa || !wb) return null
  const p1 = a.x / a.n
  const p2 = b.x / b.n
  const d = p1 - p2
  return [
    d - Math.sqrt((p1 - wa[0]) ** 2 + (wb[1] - p2) ** 2),
    d + Math.sqrt((wa[1] - p1) ** 2 + (p2 - wb[0]) ** 2),
  ]
}

/** An interval that excludes 0: the difference is there at the 95% level. */
export function excludesZero(interval: [number, number] | null): interval is [number, number] {
  return interval !== null && (interval[0] > 0 || interval[1] < 0)
}
