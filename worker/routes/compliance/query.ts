/** Query parts the compliance routes share: calendar dates and opaque cursors. */
import { z } from 'zod'
import { decodeCursor, type CursorValue } from '../../lib/cursor'

const DAY_MS = 86_400_000

/** `YYYY-MM-DD` that names a real day (2026-02-30 does not), as its UTC midnight in ms. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31')
  .transform((d, ctx) => {
    const ms = Date.parse(`${d}T00:00:00Z`)
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== d) {
      ctx.addIssue({ code: 'custom', message: `${d} is not a day of the calendar` })
      return z.NEVER
    }
    return ms
  })

/** `from`/`to` as a half-open range: `to` is inclusive, so it ends at the next midnight. */
export function dayRange(q: { from?: number; to?: number }) {
  return { from: q.from, to: q.to === undefined ? undefined : q.to + DAY_MS }
}

/** A cursor this API gave: its values, checked by `valid`. */
export function cursorOf<T extends CursorValue[]>(valid: (v: CursorValue[]) => v is T) {
  return z.string().transform((text, ctx) => {
    const values = decodeCursor(text)
    if (values && valid(values)) return values
    ctx.addIssue({ code: 'custom', message: 'must be a cursor from an earlier answer' })
    return z.NEVER
  })
}
