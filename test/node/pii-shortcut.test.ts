/**
 * The collector's PII pass skips values no pattern could match (worker/ingest/pii-strict.ts,
 * mayHoldPii, one pass over the characters) and the normalising of plain ASCII: both must
 * change no answer. Held against the whole pass on seeded random values built from the pieces
 * PII is written with.
 */
import { describe, expect, it } from 'vitest'
import { seeded } from '../../worker/analysis/predict/random'
import { redactStrict, redactStrictSlow } from '../../worker/ingest/pii-strict'

const PIECES = [
  ...'0123456789',
  ...'abcxyzGBDEFR',
  ...' .-_/',
  '@',
  '%40',
  '%',
  '４',
  '\u200B',
  '4111',
  '1111 ',
  '4111111111111111',
  '4111 1111 1111 1111',
  '5500-0000-0000-0004',
  '4222 2222 2222 2',
  '12 34',
  'GB82WEST12345698765432',
  'gb82 west 1234 5698 7654 32',
  'name@bank.example',
  'step_',
  'link_account',
  // Near the shortcut's edges: 7 and 12 digits, letters just before digits, other scripts.
  '1234567',
  '123456789012',
  'Ab',
  'zZ9',
  'é',
  '\u212A',
  '\u017F',
  // A card only once ² is read as 2 (12 ASCII digits), an IBAN with only its check digits.
  '4222 2²22 2222 2',
  'GB75WESTABCDEFGHIJKLMN',
]

function value(random: () => number): string {
  let s = ''
  const n = 1 + Math.floor(random() * 12)
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)]
  return s
}

describe('the PII pass with its shortcuts', () => {
  it('answers as the whole pass does on 50,000 random values', () => {
    const random = seeded(20261204)
    let redacted = 0
    let skipped = 0
    for (let i = 0; i < 50_000; i++) {
      const s = value(random)
      const fast = redactStrict(s)
      expect(fast, JSON.stringify(s)).toBe(redactStrictSlow(s))
      if (fast !== s) redacted++
      else if (!/[@%]|\d{8}|[a-z]{2}\d\d|[^\x00-\x7f]/i.test(s)) skipped++
    }
    // Not vacuous: many values are redacted, and many take the shortcut.
    expect(redacted).toBeGreaterThan(5_000)
    expect(skipped).toBeGreaterThan(5_000)
  })
})
