/**
 * Daily series from rollups list only the days that had activity; a chart needs every day of
 * the period, with zeros where nothing happened, or it draws a line across the quiet days.
 */
import { rollupDays } from '../../../worker/analysis/rollup-days'

type Day = { day: string | null }

/** Every UTC day the period touches (as the API counts them), each with its row or `empty`. */
export function fillDays<T extends Day>(
  rows: T[],
  period: { from: string; to: string },
  empty: (day: string) => T,
): T[] {
  const { from_day, to_day } = rollupDays({
    from: Date.parse(period.from),
    to: Date.parse(period.to),
    days: 0,
  })
  const byDay = new Map(rows.map((r) => [r.day, r]))
  const out: T[] = []
  for (let t = Date.parse(`${from_day}T00:00:00Z`); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10)
    if (day > to_day || out.length > 400) break
    out.push(byDay.get(day) ?? empty(day))
  }
  return out
}
