/**
 * The collector takes the common event after a hand-written check (worker/ingest/event-shape.ts)
 * instead of the schema. Held against the schema on seeded random events, valid and not: the
 * answer, the parsed event and every rejection's code and message must be the same either way.
 */
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { seeded, type Random } from '../../worker/analysis/predict/random'
import { isPlainEvent } from '../../worker/ingest/event-shape'
import { parseEvent, parseEventBySchema } from '../../worker/ingest/validate'
import { EVENT_TYPES, EventSchema, REQUIRED_FIELDS, STAGES, STATUSES } from '../../worker/schemas'

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
const text = (n: number, c = 'a') => c.repeat(n)

/** Strings near every limit and rule the schema has, and the characters beforeParse refuses. */
const STRINGS = [
  '',
  'a',
  'x1',
  'Step_1.a:b-c',
  'A9',
  '9_z',
  '-starts-with-dash',
  '_x',
  '.x',
  ':x',
  'x~',
  'x/y',
  'x\n',
  'Zz:',
  'has space',
  'USD',
  'usd',
  'EU',
  '/accounts/link?q=1',
  ...[31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513].map((n) => text(n)),
  'nul\u0000',
  'lone\uD800',
  '\uDC00lone',
  'pair\uD83D\uDE00',
  '\uD83D',
  'ab\uDE00',
  '__proto__',
  'émigré',
  'name@bank.example',
  ...EVENT_TYPES,
  ...STATUSES,
  ...STAGES,
]
const NUMBERS = [
  0,
  -0,
  1,
  3,
  5,
  6,
  0.5,
  -1,
  1e9,
  2 ** 53,
  2 ** 53 - 1,
  1.5,
  NaN,
  Infinity,
  -Infinity,
]
const OTHERS = [null, undefined, true, false, [], {}, [1], { a: 1 }]
const FIELDS = Object.keys(EventSchema.shape)

function anyValue(random: Random): unknown {
  const r = random()
  if (r < 0.55) return pick(random, STRINGS)
  if (r < 0.85) return pick(random, NUMBERS)
  if (r < 0.95) return pick(random, OTHERS)
  return props(random)
}

function props(random: Random): unknown {
  const r = random()
  if (r < 0.05) return pick(random, [null, [], 'x', 1])
  // JSON.parse makes "__proto__" an own key, as a page's JSON would.
  if (r < 0.1) return JSON.parse('{"__proto__": "x", "a": 1}')
  if (r < 0.13) return Object.assign(Object.create(null), { a: 1 })
  const out: Record<string, unknown> = {}
  const n = Math.floor(random() * 23)
  for (let i = 0; i < n; i++) {
    const key = random() < 0.85 ? `k${i}` : pick(random, STRINGS)
    out[key] =
      random() < 0.6 ? pick(random, ['v', 'first_bank', 'x'.repeat(256)]) : anyValue(random)
  }
  return out
}

/** A valid event of a random type, then 0–3 changes that may or may not break it. */
function event(random: Random): unknown {
  if (random() < 0.02) return pick(random, [null, 'event', 5, [], [{}]])
  const type = pick(random, EVENT_TYPES)
  const e: Record<string, unknown> = {
    id: `e-${Math.floor(random() * 1e6)}`,
    type,
    ts: 1_700_000_000_000,
  }
  const valid: Record<string, unknown> = {
    uid: 'user-1',
    sid: 'sess-1',
    tier: 'free',
    feature: 'transfers',
    workflow: 'account_linking',
    run: 'run-1',
    step: 'connect',
    status: 'completed',
    reason: 'timeout',
    stage: 'onboarding',
    journey: 'main',
    name: 'subscription_started',
    value: type === 'feedback' ? 4 : 12.5,
    currency: 'USD',
    institution: 'first_bank',
    path: '/accounts',
    props: { attempt: 1, institution: 'first_bank', ok: true },
  }
  for (const f of REQUIRED_FIELDS[type]) e[f] = valid[f]
  for (const f of FIELDS) if (random() < 0.2 && e[f] === undefined) e[f] = valid[f]
  const changes = Math.floor(random() * 4)
  for (let i = 0; i < changes; i++) {
    const r = random()
    if (r < 0.2) delete e[pick(random, FIELDS)]
    else if (r < 0.25) e[pick(random, ['extra', 'Type', 'constructor'])] = 1
    else if (r < 0.35) e.props = props(random)
    else e[pick(random, FIELDS)] = anyValue(random)
  }
  return e
}

describe('the hand-written event check', () => {
  it('answers as the schema does on 30,000 seeded random events, each as given and as JSON', () => {
    const random = seeded(20261204)
    const tally = { fast: 0, slowValid: 0, rejected: new Map<string, number>() }
    for (let i = 0; i < 30_000; i++) {
      const input = event(random)
      // A copy through JSON too: what a request's body actually holds.
      for (const e of [input, jsonCopy(input)]) {
        const expected = parseEventBySchema(e)
        const got = parseEvent(e)
        // Props' key order too: it is the stored JSON's.
        const props = (x: object) => ('props' in x ? JSON.stringify(x.props) : undefined)
        if (!isDeepStrictEqual(got, expected) || props(got) !== props(expected)) {
          const why = JSON.stringify(e) ?? String(e)
          expect(got, why).toStrictEqual(expected)
          expect(props(got), why).toBe(props(expected))
        }
        if (isPlainEvent(e)) tally.fast++
        else if ('code' in expected) {
          const key = `${expected.code}: ${expected.message.replace(/"[^"]*"/g, '…')}`
          tally.rejected.set(key, (tally.rejected.get(key) ?? 0) + 1)
        } else tally.slowValid++
      }
    }
    // Not vacuous: many events take the fast path, many are refused, for many reasons, and the
    // valid events the check leaves to the schema are the few JSON cannot send (undefined).
    expect(tally.fast).toBeGreaterThan(15_000)
    expect([...tally.rejected.values()].reduce((a, b) => a + b)).toBeGreaterThan(20_000)
    expect(tally.rejected.size).toBeGreaterThan(40)
    expect(tally.slowValid).toBeLessThan(tally.fast / 10)
  })

  it('refuses a props key and value that only make a character when joined', () => {
    const e = { id: 'e1', type: 'page', ts: 1, path: '/', props: { '\uD83D': '\uDE00' } }
    expect(parseEvent(e)).toMatchObject({ code: 'invalid_characters' })
  })
})

function jsonCopy(v: unknown): unknown {
  const json = JSON.stringify(v)
  return json === undefined ? v : JSON.parse(json)
}
