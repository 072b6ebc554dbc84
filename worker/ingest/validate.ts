/**
 * Turns a batch's raw events into rows to store and rejections to report (DESIGN §3):
 * each event is judged alone, so one bad event never costs the good ones.
 */
import { ANON_ID_PROP } from '../db/aliases'
import { describe } from '../lib/errors'
import { EventSchema, type Event, type EventRow, type EventType, type Rejection } from '../schemas'
import { REDACTED, isCard } from './pii'
import { redactStrict } from './pii-strict'
import { checkRevenue } from './revenue'

export const MAX_AGE_MS = 7 * 86_400_000
export const MAX_FUTURE_MS = 5 * 60_000

export type Context = {
  siteId: string
  now: number
  allowedTypes: readonly EventType[]
  features: readonly string[]
  /** The site's config.currency: revenue in another is refused (DESIGN §7.9). */
  currency: string
  device: EventRow['device']
  /**
   * The oldest ts taken, and how to say so; ingest's is 7 days, an import's the site's
   * retention_days (routes/import.ts).
   */
  oldest?: { ts: number; message: string }
}

/** Fields that are enums, numbers or codes: nothing in them can be personal data. */
const NOT_TEXT = new Set(['type', 'ts', 'status', 'stage', 'currency', 'value'])
/**
 * Identifiers: redacting one would merge distinct users, sessions or runs (or break dedupe),
 * so an event whose identifier looks like PII is rejected instead, with a message to hash it.
 */
const IDENTIFIERS = ['id', 'uid', 'sid', 'run'] as const
/** Integers this long are account or card numbers, not measurements. */
const LONG_INTEGER = 10_000_000
/** No duration, latency, rating or amount comes near it; sums of values stay finite. */
export const MAX_VALUE = 1e9

export function validateEvents(raw: unknown[], ctx: Context) {
  const rows: EventRow[] = []
  const rejected: Rejection[] = []
  let redactions = 0
  const ids = new Set<string>()
  raw.forEach((input, index) => {
    const unreadable = beforeParse(input)
    if (unreadable) return rejected.push({ index, ...unreadable })
    const parsed = EventSchema.safeParse(input)
    if (!parsed.success) {
      return rejected.push({ index, code: 'invalid_event', message: describe(parsed.error) })
    }
    const problem = check(parsed.data, ctx, ids)
    if (problem) return rejected.push({ index, ...problem })
    ids.add(parsed.data.id)
    const { row, redacted } = toRow(parsed.data, ctx)
    if (redacted) redactions++
    rows.push(row)
  })
  return { rows, rejected, redactions }
}

/** NUL, or half of a surrogate pair: not text, and no column or reader should have to take it. */
const NOT_TEXT_CHARACTER =
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** What the schema cannot say: characters that are not text, and a props key it would drop. */
function beforeParse(input: unknown): Omit<Rejection, 'index'> | undefined {
  if (!input || typeof input !== 'object') return
  for (const [field, v] of Object.entries(input)) {
    const props = field === 'props' && v && typeof v === 'object' ? Object.entries(v) : []
    if (
      (typeof v === 'string' && NOT_TEXT_CHARACTER.test(v)) ||
      props.some(([k, p]) => NOT_TEXT_CHARACTER.test(k + (typeof p === 'string' ? p : '')))
    ) {
      return {
        code: 'invalid_characters',
        message: `${field} holds a NUL character or a lone surrogate; send valid Unicode text`,
      }
    }
    if (props.some(([k]) => k === '__proto__')) {
      return { code: 'invalid_event', message: 'props: "__proto__" cannot be a props key' }
    }
  }
}

function check(e: Event, ctx: Context, ids: Set<string>): Omit<Rejection, 'index'> | undefined {
  if (ids.has(e.id)) {
    return { code: 'duplicate_id', message: `id "${e.id}" appears twice in this batch` }
  }
  const anon = e.type === 'identify' ? e.props?.[ANON_ID_PROP] : undefined
  if (anon !== undefined && (typeof anon !== 'string' || !anon || anon.length > 128)) {
    return {
      code: 'invalid_event',
      message: `props.${ANON_ID_PROP}: the anonymous id an identify links must be a string of 1–128 characters`,
    }
  }
  const identifiers: [string, string | undefined][] = [
    ...IDENTIFIERS.map((f): [string, string | undefined] => [f, e[f]]),
    [`props.${ANON_ID_PROP}`, anon as string | undefined],
  ]
  for (const [field, v] of identifiers) {
    if (v !== undefined && (redactStrict(v) !== v || v.includes(REDACTED))) {
      return {
        code: 'pii_in_identifier',
        message: `${field} looks like personal data (an email, card, IBAN or 8+ digits); send a pseudonymous id such as a hash`,
      }
    }
  }
  if (!ctx.allowedTypes.includes(e.type)) {
    return { code: 'type_not_allowed', message: `"${e.type}" events need a secret ingest key` }
  }
  const oldest = ctx.oldest ?? {
    ts: ctx.now - MAX_AGE_MS,
    message: 'ts must be within the last 7 days and at most 5 minutes ahead',
  }
  if (e.ts < oldest.ts || e.ts > ctx.now + MAX_FUTURE_MS) {
    return { code: 'ts_out_of_range', message: oldest.message }
  }
  if (e.value !== undefined && Number.isInteger(e.value) && isCard(String(Math.abs(e.value)))) {
    return {
      code: 'pii_in_value',
      message:
        'value looks like a card number; send a measurement or an amount, never a number that identifies a card or account',
    }
  }
  if (e.value !== undefined && !(Math.abs(e.value) <= MAX_VALUE)) {
    return {
      code: 'value_out_of_range',
      message: `value must be between -${MAX_VALUE} and ${MAX_VALUE}`,
    }
  }
  if (e.feature && !ctx.features.includes(e.feature)) {
    return {
      code: 'unknown_feature',
      message: `"${e.feature}" is not in the site's config.features`,
    }
  }
  return checkRevenue(e, ctx.currency)
}

function toRow(e: Event, ctx: Context): { row: EventRow; redacted: boolean } {
  let redacted = false
  // Values the tracker already cleaned arrive as [redacted]: they count too.
  const clean = (s: string) => {
    const out = redactStrict(s)
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
      const props = Object.entries(value as Record<string, string | number | boolean>).map(
        ([k, v]) => [clean(k), cleanProp(v, clean, () => (redacted = true))],
      )
      row.props = JSON.stringify(Object.fromEntries(props))
    } else if (field === 'path') {
      row.path = clean(stripQuery(value as string))
    } else if (
      typeof value === 'string' &&
      !NOT_TEXT.has(field) &&
      !IDENTIFIERS.includes(field as 'id')
    ) {
      row[field] = clean(value)
    } else {
      row[field] = value
    }
  }
  return { row: row as EventRow, redacted }
}

function cleanProp(v: string | number | boolean, clean: (s: string) => string, flag: () => void) {
  if (typeof v === 'string') return clean(v)
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= LONG_INTEGER) {
    flag()
    return REDACTED
  }
  return v
}

/** Query strings and fragments carry tokens and search terms; they are never kept. */
export function stripQuery(path: string): string {
  return path.replace(/[?#].*$/, '') || '/'
}
