/**
 * The privacy guard of DESIGN §3, shared by the tracker (which bundles this file) and the
 * collector, so a value is cleaned before it leaves the page and again when it arrives.
 * Kept small on purpose: every byte here is a byte of the tracker budget.
 */
export const REDACTED = '[redacted]'

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g
/** 13–19 digits, optionally grouped by spaces or dashes, as card numbers are written. */
const CARD = /\d([ -]?\d){12,18}/g
const IBAN = /\b[A-Z]{2}\d\d( ?[A-Z0-9]){11,30}\b/g
const DIGIT_RUN = /\d{8,}/g

/** Luhn's checksum, which every card number passes and most other digit strings fail. */
export function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = +digits[digits.length - 1 - i]
    if (i % 2 && (d *= 2) > 9) d -= 9
    sum += d
  }
  return sum % 10 == 0
}

/** Replaces whatever looks like PII inside `s`; returns `s` itself when nothing does. */
export function redact(s: string): string {
  return s
    .replace(EMAIL, REDACTED)
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? REDACTED : m))
    .replace(IBAN, REDACTED)
    .replace(DIGIT_RUN, REDACTED)
}
