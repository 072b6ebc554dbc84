/**
 * The common query of every analysis endpoint (DESIGN §6): `period` (default 30d) or
 * `from`/`to` (ISO dates, `to` inclusive), plus optional filters.
 */
import { z } from 'zod'
import { ApiError } from '../lib/errors'
import { DEVICES, slug } from '../schemas'

export const PERIODS = { '24h': 1, '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const
const DAY_MS = 86_400_000
/** The longest retention a site can have (SiteConfig `retention_days`), plus a little. */
export const MAX_SPAN_DAYS = 3660
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31')
  .refine(isCalendarDay, 'must be a day of the calendar: month 01–12, a day the month has')

/** `2026-02-30` has a date's shape, and Date.parse would quietly read it as March 2. */
function isCalendarDay(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`)
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(d)
}

export const AnalysisQuerySchema = z
  .object({
    period: z.enum(Object.keys(PERIODS) as [keyof typeof PERIODS]).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    tier: z.string().min(1).max(32).optional(),
    device: z.enum(DEVICES).optional(),
    feature: slug.optional(),
  })
  .refine((q) => !q.period || (!q.from && !q.to), 'use either period or from/to, not both')
  .refine((q) => !q.from === !q.to, 'from and to go together')

export type AnalysisQuery = z.infer<typeof AnalysisQuerySchema>
export type Filters = { tier?: string; device?: string; feature?: string }
/** A half-open time range in ms epoch: from ≤ ts < to. */
export type Range = { from: number; to: number; days: number }

export function toRange(q: AnalysisQuery, now = Date.now()): Range {
  if (q.from && q.to) {
    const from = Date.parse(`${q.from}T00:00:00Z`)
    const to = Date.parse(`${q.to}T00:00:00Z`) + DAY_MS
    if (!(from < to)) throw new ApiError(400, 'invalid_query', 'from must not be after to')
    if (to - from > MAX_SPAN_DAYS * DAY_MS) {
      throw new ApiError(400, 'invalid_query', `from–to may span at most ${MAX_SPAN_DAYS} days`)
    }
    return { from, to, days: Math.round((to - from) / DAY_MS) }
  }
  const days = PERIODS[q.period ?? '30d']
  return { from: now - days * DAY_MS, to: now, days }
}
