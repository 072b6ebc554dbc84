/**
 * Turns a batch's raw events into rows to store and rejections to report (DESIGN §3):
 * each event is judged alone, so one bad event never costs the good ones.
 */
import { describe } from '../lib/errors'
import { EventSchema, type Event, type EventRow, type EventType, type Rejection } from '../schemas'
import { REDACTED, redact } from './pii'

export const MAX_AGE_MS = 7 * 86_400_000
export const MAX_FUTURE_MS = 5 * 60_000

export type Context = {
  siteId: string
  now: number
  allowedTypes: readonly EventType[]
  features: readonly string[]
  device: EventRow['device']
}

/** Machine identifiers the tracker makes; they are not user data and are never redacted. */
const NOT_REDACTED = new Set([
  'id',
  'type',
  'ts',
  'sid',
  'run',
  'status',
  'stage',
  'currency',
  'value',
])

export function validateEvents(raw: unknown[], ctx: Context) {
  const rows: EventRow[] = []
  const rejected: Rejection[] = []
  let redactions = 0
  raw.forEach((input, index) => {
    const parsed = EventSchema.safeParse(input)
    if (!parsed.success) {
      return rejected.push({ index, code: 'invalid_event', message: describe(parsed.error) })
    }
    const problem = check(parsed.data, ctx)
    if (problem) return rejected.push({ index, ...problem })
    const { row, redacted } = toRow(parsed.data, ctx)
    if (redacted) redactions++
    rows.push(row)
  })
  return { rows, rejected, redactions }
}

function check(e: Event, ctx: Context): Omit<Rejection, 'index'> | undefined {
  if (!ctx.allowedTypes.includes(e.type)) {
    return { code: 'type_not_allowed', message: `"${e.type}" events need a secret ingest key` }
  }
  if (e.ts < ctx.now - MAX_AGE_MS || e.ts > ctx.now + MAX_FUTURE_MS) {
    return {
      code: 'ts_out_of_range',
      message: 'ts must be within the last 7 days and at most 5 minutes ahead',
    }
  }
  if (e.feature && !ctx.features.includes(e.feature)) {
    return {
      code: 'unknown_feature',
      message: `"${e.feature}" is not in the site's config.features`,
    }
  }
}

function toRow(e: Event, ctx: Context): { row: EventRow; redacted: boolean } {
  let redacted = false
  // Values the tracker already cleaned arrive as [redacted]: they count too.
  const clean = (s: string) => {
    const out = redact(s)
    if (out !== s || s.includes(REDACTED)) redacted = true
    return out
  }
  const row: Record<string, unknown> = {
    site_id: ctx.siteId,
    received_at: ctx.now,
    device: ctx.device,
  }
  for (const [field, value] of Object.entries(e)) {
    if (field === 'props') {
      const props = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'string' ? clean(v) : v,
        ]),
      )
      row.props = JSON.stringify(props)
    } else if (field === 'path') {
      row.path = clean(stripQuery(value as string))
    } else {
      row[field] = typeof value === 'string' && !NOT_REDACTED.has(field) ? clean(value) : value
    }
  }
  return { row: row as EventRow, redacted }
}

/** Query strings and fragments carry tokens and search terms; they are never kept. */
export function stripQuery(path: string): string {
  return path.replace(/[?#].*$/, '') || '/'
}
