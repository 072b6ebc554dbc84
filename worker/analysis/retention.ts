/**
 * Cohort retention (DESIGN §7.5, docs/formulas.md §7.5). Users are grouped by the period
 * (day or week) they were first seen in; period k of a cohort is the k-th period after its
 * own. `on`: retained in k = active in k. `on_or_after`: active in k or any later period.
 */

import { rate, round } from './numbers'

export type RetentionInterval = 'day' | 'week'
export type RetentionMode = 'on' | 'on_or_after'
export const INTERVAL_DAYS: Record<RetentionInterval, number> = { day: 1, week: 7 }
/** Cohorts (and periods) in one table: also the bits of a JS-safe activity mask (2^53). */
export const MAX_PERIODS = 53

/** Users of cohort `cohort` who were active in exactly these periods (0 = their first). */
export type ActivityPattern = { cohort: number; offsets: number[]; users: number }

export type RetentionCohort = {
  /** First day of the cohort's period, YYYY-MM-DD. */
  start: string
  size: number
  /** Users retained in period 0, 1, …; only periods that have begun before the range's end. */
  retained: number[]
  /** `retained` over `size`, a fraction 0–1 to four decimals; null for a cohort of nobody. */
  rates: (number | null)[]
}

export type RetentionTable = {
  cohorts: RetentionCohort[]
  /**
   * Per period: retained over size, summed over the cohorts whose period k is complete; null
   * when none is. The last calendar interval may be partial (cut by the range's end or by now).
   */
  average: (number | null)[]
  /** Whether each cohort's last period (the range's last interval) is still incomplete. */
  partial_last_period: boolean
}

export function retentionTable(
  patterns: ActivityPattern[],
  o: { starts: string[]; mode: RetentionMode; partialLast: boolean },
): RetentionTable {
  const n = o.starts.length
  const cohorts = o.starts.map((start, c) => {
    const retained = new Array<number>(n - c).fill(0)
    let size = 0
    for (const p of patterns) {
      if (p.cohort !== c) continue
      size += p.users
      const last = Math.max(...p.offsets)
      for (let k = 0; k < n - c; k++) {
        if (o.mode === 'on' ? p.offsets.includes(k) : last >= k) retained[k] += p.users
      }
    }
    return { start, size, retained, rates: retained.map((r) => share(r, size)) }
  })
  const average = o.starts.map((_, k) => {
    const complete = cohorts.filter((_, c) => c + k < n - (o.partialLast ? 1 : 0))
    if (!complete.length) return null
    const retained = complete.reduce((sum, c) => sum + c.retained[k], 0)
    return share(
      retained,
      complete.reduce((sum, c) => sum + c.size, 0),
    )
  })
  return { cohorts, average, partial_last_period: o.partialLast }
}

function share(part: number, whole: number): number | null {
  return round(rate(part, whole), 4)
}

/** Decodes a mask whose bit k says "active in period k"; arithmetic, as JS bit ops stop at 32. */
export function offsetsOf(mask: number): number[] {
  const offsets: number[] = []
  for (let k = 0; mask > 0; k++, mask = Math.floor(mask / 2)) if (mask % 2 === 1) offsets.push(k)
  return offsets
}

const DAY_MS = 86_400_000

/**
 * The cohorts a range holds: whole UTC days from the first midnight at or after `from` to the
 * midnight at or after `to`, cut into periods; at most MAX_PERIODS, the most recent kept.
 */
export function cohortStarts(
  range: { from: number; to: number },
  interval: RetentionInterval,
  now = Date.now(),
): { starts: string[]; fromDay: string; toDay: string; partialLast: boolean } {
  const step = INTERVAL_DAYS[interval] * DAY_MS
  const end = Math.ceil(range.to / DAY_MS) * DAY_MS
  let start = Math.min(Math.ceil(range.from / DAY_MS) * DAY_MS, end - DAY_MS)
  const count = Math.min(MAX_PERIODS, Math.ceil((end - start) / step))
  start = Math.max(start, end - count * step)
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const starts = Array.from({ length: count }, (_, c) => day(start + c * step))
  // The last interval is partial if the range cuts it short or it has not ended yet.
  const partialLast = end - (start + (count - 1) * step) < step || end > now
  return { starts, fromDay: day(start), toDay: day(end), partialLast }
}
