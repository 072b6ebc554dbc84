/**
 * A hand-written check of an event's shape: the answer `EventSchema` (worker/schemas.ts) gives,
 * at a fraction of its cost. Under workerd zod cannot compile its parsers (no `new Function`),
 * so the schema was the collector's largest single cost. This only says yes for an event the
 * schema takes as it is, with nothing in it `beforeParse` (./validate.ts) refuses; for anything
 * else it says no and the schema judges, so every rejection and its message still come from
 * zod. test/node/event-shape.test.ts holds it against the schema on seeded random events.
 */
import { EVENT_TYPES, REQUIRED_FIELDS, STAGES, STATUSES, type Event } from '../schemas'

const TYPES: ReadonlySet<unknown> = new Set(EVENT_TYPES)
const STATUS: ReadonlySet<unknown> = new Set(STATUSES)
const STAGE: ReadonlySet<unknown> = new Set(STAGES)
/** The schema's currency code (a rare field; the slugs are checked by isSlug). */
const CURRENCY = /^[A-Z]{3}$/

/** Whether the schema takes `input` unchanged (its output would equal it) and it is all text. */
export function isPlainEvent(input: unknown): input is Event {
  if (!isPlainObject(input)) return false
  const e = input as Record<string, unknown>
  for (const field in e) {
    const v = e[field]
    switch (field) {
      case 'id':
      case 'sid':
      case 'run':
        if (!text(v, 1, 64)) return false
        break
      case 'uid':
        if (!text(v, 1, 128)) return false
        break
      case 'tier':
        if (!text(v, 1, 32)) return false
        break
      case 'feature':
      case 'workflow':
      case 'step':
      case 'reason':
      case 'journey':
      case 'name':
      case 'institution':
        if (!text(v, 1, 64) || !isSlug(v as string)) return false
        break
      case 'path':
        if (!text(v, 0, 512)) return false
        break
      case 'type':
        if (!TYPES.has(v)) return false
        break
      case 'status':
        if (!STATUS.has(v)) return false
        break
      case 'stage':
        if (!STAGE.has(v)) return false
        break
      case 'ts':
        if (!Number.isSafeInteger(v) || (v as number) < 0) return false
        break
      case 'value':
        if (!Number.isFinite(v)) return false
        break
      case 'currency':
        if (typeof v !== 'string' || !CURRENCY.test(v)) return false
        break
      case 'props':
        if (!plainProps(v)) return false
        break
      default:
        return false
    }
  }
  const type = e.type as Event['type'] | undefined
  if (type === undefined || e.id === undefined || e.ts === undefined) return false
  for (const field of REQUIRED_FIELDS[type]) if (e[field] === undefined) return false
  const value = e.value as number | undefined
  return type !== 'feedback' || value === undefined || (value >= 1 && value <= 5)
}

/** The schema's props record: at most 20 keys of ≤ 64 characters; short text, numbers, flags. */
function plainProps(v: unknown): boolean {
  if (!isPlainObject(v)) return false
  let n = 0
  for (const k in v as object) {
    if (++n > 20 || k === '__proto__' || !text(k, 0, 64)) return false
    const p = (v as Record<string, unknown>)[k]
    if (typeof p === 'string' ? !text(p, 0, 256) : typeof p !== 'boolean' && !Number.isFinite(p))
      return false
  }
  return true
}

/**
 * An object as JSON.parse makes them (what ingest and import pass): a plain object, whose keys
 * for…in visits. Getters, hidden or symbol keys are not what JSON makes, and not looked for.
 */
function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
}

/**
 * The schema's slug, `^[A-Za-z0-9][A-Za-z0-9_.:-]*$`, as a loop: regular expressions run
 * several times slower under workerd than in Node, a loop over the characters does not.
 */
function isSlug(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const lower = c | 32
    const alnum = (c >= 48 && c <= 57) || (lower >= 97 && lower <= 122)
    // After the first character also _ . : -
    if (!alnum && (i === 0 || (c !== 95 && c !== 46 && c !== 58 && c !== 45))) return false
  }
  return s.length > 0
}

/** A string of `min`–`max` UTF-16 units holding no NUL and no half of a surrogate pair. */
function text(v: unknown, min: number, max: number): boolean {
  if (typeof v !== 'string' || v.length < min || v.length > max) return false
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c === 0) return false
    if (c >= 0xd800 && c <= 0xdfff) {
      // A high half followed by a low half is one character; anything else is a lone half.
      const next = v.charCodeAt(i + 1)
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false
      i++
    }
  }
  return true
}
