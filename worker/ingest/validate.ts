/**
 * Turns a batch's raw events into rows to store and rejections to report (DESIGN §3):
 * each event is judged alone, so one bad event never costs the good ones.
 */
import { ANON_ID_PROP } from '../db/aliases'
import { describe } from '../lib/errors'
import { EventSchema, type Event, type EventRow, type EventType, type Rejection } from '../schemas'
import { isPlainEvent } from './event-shape'
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
    const parsed = parseEvent(input)
    if ('code' in parsed) return rejected.push({ index, ...parsed })
    const problem = check(parsed, ctx, ids)
    if (problem) return rejected.push({ index, ...problem })
    ids.add(parsed.id)
    const { row, redacted } = toRow(parsed, ctx)
    if (redacted) redactions++
    rows.push(row)
  })
  return { rows, rejected, redactions }
}

/**
 * The event `input` is, or why it is not one. The common event passes the hand-written check
 * (./event-shape.ts) and is taken as it came; anything else is judged by the schema.
 */
export function parseEvent(input: unknown): Event | Omit<Rejection, 'index'> {
  return isPlainEvent(input) ? input : parseEventBySchema(input)
}

/** beforeParse, then the schema: every rejection and its message come from here. */
export function parseEventBySchema(input: unknown): Event | Omit<Rejection, 'index'> {
  const unreadable = beforeParse(input)
  if (unreadable) return unreadable
  const parsed = EventSchema.safeParse(input)
  return parsed.success ? parsed.data : { code: 'invalid_event', message: describe(parsed.error) }
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
      // Key and value apart: a key's high half and its value's low half are not a character.
      props.some(
        ([k, p]) =>
          NOT_TEXT_CHARACTER.test(k) || (typeof p === 'string' && NOT_TEXT_CHARACTER.test(p)),
      )
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
  for (const field of IDENTIFIERS) {
    if (looksPersonal(e[field])) return piiInIdentifier(field)
  }
  if (looksPersonal(anon as string | undefined)) return piiInIdentifier(`props.${ANON_ID_PROP}`)
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

/** Whether an identifier holds what the PII pass would redact, or the tracker already did. */
function looksPersonal(v: string | undefined): boolean {
  return v !== undefined && (redactStrict(v) !== v || v.includes(REDACTED))
}

function piiInIdentifier(field: string): Omit<Rejection, 'index'> {
  return {
    code: 'pii_in_identifier',
    message: `${field} looks like personal data (an email, card, IBAN or 8+ digits); send a pseudonymous id such as a hash`,
  }
}

/**
 * The wire fields in the schema's order, each with what toRow does to it: a row's keys come out
 * in this order whichever way the event was parsed (as it came, or the schema's copy).
 */
const FIELDS = Object.keys(EventSchema.shape).map((field) => ({
  field: field as keyof Event,
  kind:
    field === 'props' || field === 'path'
      ? field
      : NOT_TEXT.has(field) || (IDENTIFIERS as readonly string[]).includes(field)
        ? 'kept'
        : 'text',
}))

function toRow(e: Event, ctx: Context): { row: EventRow; redacted: boolean } {
  // No closures here: this runs for every event, and each closure is an allocation.
  const seen = { redacted: false }
  const row: Record<string, unknown> = {
    site_id: ctx.siteId,
    received_at: ctx.now,
    device: ctx.device,
  }
  for (const { field, kind } of FIELDS) {
    const value = e[field]
    if (value === undefined) continue
    if (kind === 'props') row.props = propsJson(value as Record<string, Prop>, seen)
    else if (kind === 'path') row.path = clean(stripQuery(value as string), seen)
    else if (kind === 'text' && typeof value === 'string') row[field] = clean(value, seen)
    else row[field] = value
  }
  return { row: row as EventRow, redacted: seen.redacted }
}

type Seen = { redacted: boolean }

/** `s` through the PII pass; a value the tracker already cleaned ([redacted]) counts too. */
function clean(s: string, seen: Seen): string {
  const out = redactStrict(s)
  if (out !== s || s.includes(REDACTED)) seen.redacted = true
  return out
}

type Prop = string | number | boolean

/**
 * The props as stored: keys and values cleaned. Most props need nothing cleaned, and are
 * serialized as they came rather than copied first.
 */
function propsJson(props: Record<string, Prop>, seen: Seen): string {
  let copy: Record<string, Prop> | undefined
  for (const k in props) {
    const key = clean(k, seen)
    const v = cleanProp(props[k], seen)
    if (!copy && (key !== k || v !== props[k])) {
      // The first change: the keys before it were kept as they are.
      copy = Object.create(null) as Record<string, Prop>
      for (const before in props) {
        if (before === k) break
        copy[before] = props[before]
      }
    }
    if (copy) copy[key] = v
  }
  return JSON.stringify(copy ?? props)
}

function cleanProp(v: Prop, seen: Seen): Prop {
  if (typeof v === 'string') return clean(v, seen)
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= LONG_INTEGER) {
    seen.redacted = true
    return REDACTED
  }
  return v
}

/** Query strings and fragments carry tokens and search terms; they are never kept. */
export function stripQuery(path: string): string {
  // Cut at the first ? or #, whatever follows (a regex's `.*$` stopped at a line break).
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c === 63 || c === 35) return path.slice(0, i) || '/'
  }
  return path || '/'
}
