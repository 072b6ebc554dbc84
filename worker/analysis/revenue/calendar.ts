/** Days, months and money for the revenue analyses: UTC days as YYYY-MM-DD, amounts in cents. */

const DAY_MS = 86_400_000

export function dayAfter(day: string, n = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let d = from; d <= to; d = dayAfter(d)) days.push(d)
  return days
}

export function monthOf(day: string): string {
  return day.slice(0, 7)
}

/** The first day of the month `n` months after `month` (YYYY-MM; n may be negative). */
export function monthStart(month: string, n = 0): string {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10)
}

/** The last day of `month`. */
export function monthEnd(month: string): string {
  return dayAfter(monthStart(month, 1), -1)
}

/** Whole months from `a` to `b` (YYYY-MM): 2026-01 → 2026-03 is 2. */
export function monthsApart(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number)
  const [yb, mb] = b.split('-').map(Number)
  return (yb - ya) * 12 + (mb - ma)
}

/** Cents as currency units: exact to the cent (an integer divided by 100, then rounded). */
export function units(cents: number): number {
  return Math.round(cents) / 100
}

/** A fraction to 4 decimals, null kept. */
export function fraction(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : Math.round(x * 10_000) / 10_000
}
