/**
 * The privacy guard of DESIGN §3, shared by the tracker (which bundles this file) and the
 * collector, so a value is cleaned before it leaves the page and again when it arrives.
 * Kept small on purpose: every byte here is a byte of the tracker budget.
 */
export const REDACTED = '[redacted]'

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g
/** Groups of 3+ digits, alone or joined by any run of spaces . _ / -, as cards are written. */
export const CARD = /\d{3,}([\s._/-]+\d{3,})*/g
const IBAN = /\b[A-Z]{2}\d\d( ?[A-Z0-9]){11,30}\b/g
/** 8+ digits and the rest of their word, so a lower-case IBAN leaves no `gb82west` behind. */
const DIGIT_RUN = /\b\w*\d{8,}\w*/g

/**
 * 13–19 digits passing Luhn's checksum, which every card number passes and most other digit
 * strings fail.
 */
export function isCard(digits: string): boolean {
  let sum = 0
  let i = digits.length
  // From the right, every second digit is doubled: 0246813579 are those doubles' digit sums.
  for (const c of digits) sum += +(i-- % 2 ? c : '0246813579'[+c])
  return sum % 10 == 0 && digits.length > 12 && digits.length < 20
}

/** Replaces whatever looks like PII inside `s`; returns `s` itself when nothing does. */
export function redact(s: string): string {
  return s
    .replace(EMAIL, REDACTED)
    .replace(CARD, (m) => (isCard(m.replace(/\D/g, '')) ? REDACTED : m))
    .replace(IBAN, REDACTED)
    .replace(DIGIT_RUN, REDACTED)
}
