/**
 * Rollups hold whole UTC days, so a rollup-backed number covers the days a period touches:
 * `period=30d` reads the 31 days from the one holding `from` to the one holding `to` (the first
 * and last partly), `from=2026-01-01&to=2026-01-31` exactly those 31 days.
 */
import type { Range } from './period'

const DAY_MS = 86_400_000

export type DayRange = { from_day: string; to_day: string }

export function rollupDays(range: Range): DayRange {
  return { from_day: utcDay(range.from), to_day: utcDay(range.to - 1) }
}

/** The day `n` days before `day` (YYYY-MM-DD). */
export function daysBefore(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS)
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Multiplies a count over the period into a count per 30 days. */
export function perMonth(count: number, range: Range): number {
  return (count * 30 * DAY_MS) / (range.to - range.from)
}
