/**
 * The collector's half of the privacy guard (DESIGN §3): the tracker's rules (./pii.ts) plus
 * what its byte budget leaves out. Kept apart so the tracker's bundle never carries it.
 */
import { CARD, REDACTED, isCard, redact } from './pii'

/**
 * The collector's stricter pass. It matches against one spelling of the value (`normalise`), so
 * invisible characters, fullwidth or other scripts' digits and percent-encoding hide nothing;
 * and it finds what the tracker's budget leaves out: a card number among more digit groups or
 * inside a longer run of digits, IBANs in any case and with any separators (checked by country
 * length and mod 97, so hex ids are not taken for them), emails in any script. A value with a
 * find is kept in that spelling with the find replaced; any other value is kept as sent.
 */
export function redactStrict(s: string): string {
  if (!mayHoldPii(s)) return s
  return scan(s, NEEDS_NORMALISING.test(s) ? normalise(s) : s)
}

/** The whole pass, without redactStrict's shortcuts: what the tests hold them against. */
export function redactStrictSlow(s: string): string {
  return scan(s, normalise(s))
}

/** `n` is `s` normalised. */
function scan(s: string, n: string): string {
  const out = redact(redactIbans(n))
    .replace(EMAIL_ANY_SCRIPT, REDACTED)
    .replace(CARD, (m) => (hasCardGroups(m.split(SEPARATORS)) ? REDACTED : m))
    .replace(GROUPED_DIGITS, (m) => (hasCardWindow(m.replace(/\D/g, '')) ? REDACTED : m))
  return out === n ? s : out
}

/**
 * Whether any pattern here or in ./pii.ts could match: an `@` (emails); 8 digits in a row
 * (digit runs); two letters then two digits (where an IBAN starts); 13 digits or more (a card
 * is 13–19, however grouped); or what `normalise` may turn into those (`%`, non-ASCII). Most
 * values (names, steps, paths, ids with a short counter) have none and are kept unscanned:
 * the full scan was most of ingest's time.
 */
function mayHoldPii(s: string): boolean {
  // One pass over the characters, no regex: this runs on every text value of every event.
  let digits = 0
  let run = 0
  let letters = 0
  let lettersBeforeRun = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (run === 0) lettersBeforeRun = letters
      letters = 0
      run++
      digits++
      if (run >= 8 || digits >= 13 || (run === 2 && lettersBeforeRun >= 2)) return true
    } else {
      run = 0
      const lower = c | 32
      if (lower >= 97 && lower <= 122) letters++
      else if (c >= 128 || c === 37 || c === 64) return true
      else letters = 0
    }
  }
  return false
}
/** ASCII without `%` is its own normal form: NFKC keeps ASCII, the rest only touches others. */
const NEEDS_NORMALISING = /[^\x00-\x7f]|%/

/** Characters that show nothing but can split a number or an address. */
const INVISIBLE =
  /[\u00AD\u034F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFE00-\uFE0F\uFEFF]/g
const PERCENT_RUN = /(%[0-9a-f]{2})+/gi
const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu
const DIGIT = /^\p{Nd}$/u

/**
 * Percent-decoded (a value encoded twice too), NFKC (fullwidth and styled letters and digits
 * become ASCII), invisible characters dropped, every script's digits written 0–9.
 */
export function normalise(s: string): string {
  let out = s
  for (let i = 0; i < 3; i++) {
    const next = out.replace(PERCENT_RUN, decode).normalize('NFKC').replace(INVISIBLE, '')
    if (next === out) break
    out = next
  }
  return out.replace(NON_ASCII_DIGIT, asciiDigit)
}

/** A malformed or partial sequence (`100%`, `%E0%A4`) stays as written, never throws. */
function decode(run: string): string {
  try {
    return decodeURIComponent(run)
  } catch {
    return run.length > 3 ? run.replace(/%../g, decode) : run
  }
}

/** Unicode puts each script's 0–9 on consecutive code points: a digit's value is its place. */
function asciiDigit(d: string): string {
  const code = d.codePointAt(0)!
  let zero = code
  while (DIGIT.test(String.fromCodePoint(zero - 1))) zero--
  return String((code - zero) % 10)
}

const SEPARATORS = /[\s._/-]+/
/** A card number hidden in a longer run of grouped digits ("2 4111 1111 1111 1111"). */
const GROUPED_DIGITS = /\d([ -]?\d){12,}/g
const EMAIL_ANY_SCRIPT = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/g

/** Whether some consecutive groups of a `CARD` match, not only all of them, make a card. */
function hasCardGroups(groups: string[]): boolean {
  for (let i = 0; i < groups.length; i++) {
    let digits = ''
    for (let j = i; j < groups.length && (digits += groups[j]).length < 20; j++) {
      if (isCard(digits)) return true
    }
  }
  return false
}

function hasCardWindow(digits: string): boolean {
  for (let i = 0; i + 13 <= digits.length; i++) {
    for (let len = 13; len <= 19 && i + len <= digits.length; len++) {
      if (isCard(digits.slice(i, i + len))) return true
    }
  }
  return false
}

/** IBAN length by country, from SWIFT's IBAN registry. */
const IBAN_LENGTHS = new Map(
  (
    'AD24AE23AL28AO25AT20AX18AZ28BA20BE16BF28BG22BH22BI27BJ28BL27BR29BY28CF27CG27CH21CI28CM27' +
    'CR22CV25CY28CZ24DE22DJ27DK18DO28DZ26EE20EG29ES24FI18FK18FO18FR27GA27GB22GE22GF27GI23GL18' +
    'GP27GQ27GR27GT28GW25HN28HR21HU28IE22IL23IQ23IR26IS26IT27JO30KM27KW30KZ20LB28LC32LI21LT20' +
    'LU20LV21LY25MA28MC27MD24ME22MF27MG27MK19ML28MN20MQ27MR27MT31MU30MZ25NC27NE28NI28NL18NO15' +
    'OM23PF27PK24PL28PM27PS29PT25QA29RE27RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SN28SO23ST25' +
    'SV28TD27TF27TG28TL23TN24TR26UA29VA22VG24WF27XK20YE30YT27'
  )
    .match(/.{4}/g)!
    .map((c) => [c.slice(0, 2), +c.slice(2)]),
)
const IBAN_START = /[a-z]{2}\d\d/gi
const ALNUM = /[a-z0-9]/i
const SEPARATOR = /[\s._/-]/

/** Replaces every IBAN, in any case and with any separators between its characters. */
function redactIbans(s: string): string {
  let out = ''
  let last = 0
  for (const m of s.matchAll(IBAN_START)) {
    const end = m.index < last ? 0 : ibanEnd(s, m.index)
    if (end) {
      out += s.slice(last, m.index) + REDACTED
      last = end
    }
  }
  return out + s.slice(last)
}

/** Where the IBAN starting at `start` ends: its country's length, whole, passing mod 97; or 0. */
function ibanEnd(s: string, start: number): number {
  const length = IBAN_LENGTHS.get(s.slice(start, start + 2).toUpperCase())
  let chars = ''
  for (let i = start; length && i < s.length; i++) {
    if (ALNUM.test(s[i])) chars += s[i]
    else if (!SEPARATOR.test(s[i])) return 0
    if (chars.length === length) return ALNUM.test(s[i + 1] ?? '') || !mod97(chars) ? 0 : i + 1
  }
  return 0
}

/** ISO 13616: the country and check digits moved to the end, letters as 10–35, mod 97 is 1. */
function mod97(iban: string): boolean {
  let r = 0
  for (const c of iban.slice(4) + iban.slice(0, 4)) {
    const v = parseInt(c, 36)
    r = (v < 10 ? r * 10 + v : r * 100 + v) % 97
  }
  return r === 1
}
