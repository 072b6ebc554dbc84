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

/** A card number hidden in a longer run of grouped digits ("2 4111 1111 1111 1111"). */
const GROUPED_DIGITS = /\d([ -]?\d){12,}/g
const IBAN_ANY_CASE = /\b[A-Z]{2}\d\d( ?[A-Z0-9]){11,30}\b/gi
const EMAIL_ANY_SCRIPT = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/g

/**
 * The collector's stricter pass, run after `redact`: it also looks for a Luhn-valid 13–19
 * digit window inside any longer grouped run, IBANs in lower case and emails in any script.
 * It is not in the tracker (its byte budget); the collector sees every value anyway.
 */
export function redactStrict(s: string): string {
  return redact(s)
    .replace(EMAIL_ANY_SCRIPT, REDACTED)
    .replace(IBAN_ANY_CASE, REDACTED)
    .replace(GROUPED_DIGITS, (m) => (hasCardWindow(m.replace(/\D/g, '')) ? REDACTED : m))
}

function hasCardWindow(digits: string): boolean {
  for (let i = 0; i + 13 <= digits.length; i++) {
    for (let len = 13; len <= 19 && i + len <= digits.length; len++) {
      if (luhn(digits.slice(i, i + len))) return true
    }
  }
  return false
}
