/**
 * A seeded generator of hostile request bodies, for fuzzing every body route. It starts from
 * the route's example (a body the schema takes) and breaks it a few ways at once, guided by
 * the body's JSON Schema so that it reaches the checks behind the first one: wrong types, huge
 * and non-finite numbers, number-like strings, long and odd Unicode strings, NUL and lone
 * surrogates, deep nesting, prototype keys, arrays where objects go, missing and unknown
 * fields — or it sends text that is not JSON at all. Same seed, same bodies.
 */
import type { JsonSchema } from '../../../worker/openapi/document'

export type Random = ReturnType<typeof random>

/** mulberry32: small, fast, and good enough to pick cases. */
export function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { next, int, pick: <T>(list: readonly T[]): T => list[int(list.length)] }
}

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
]

const STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x1F',
  '-0',
  '٣',
  '１２３',
  'null',
  'true',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202egnp.exe',
  '\u200b\u200b',
  'é',
  'İstanbul',
  '👩‍👩‍👧‍👦',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  '%00%2e%2e',
  'https://evil.example/@localhost',
  'http://127.0.0.1:8787',
  '4111 1111 1111 1111',
  'name@bank.example',
  ...PROTO_KEYS,
]

const NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1.7976931348623157e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 63,
  5e-324,
  -1e-300,
  4111111111111111,
  1767225600000,
]

function longString(r: Random): string {
  const unit = r.pick(['a', 'é', '😀', '\u0000', '\ud800', '<'])
  return unit.repeat(r.pick([65, 257, 513, 4_096, 70_000]))
}

/** A value of the wrong kind for almost any field. */
export function hostileValue(r: Random, depth = 0): unknown {
  const kind = r.int(depth > 2 ? 5 : 9)
  if (kind === 0) return r.pick(STRINGS)
  if (kind === 1) return r.pick(NUMBERS)
  if (kind === 2) return r.pick([null, true, false])
  if (kind === 3) return longString(r)
  if (kind === 4) return String(r.pick(NUMBERS))
  if (kind === 5) return nested(r.pick([20, 500, 2_000]), r.int(2) === 0)
  if (kind === 6) return Array.from({ length: r.pick([0, 1, 3, 101, 1_001]) }, () => hostileLeaf(r))
  if (kind === 7) return withKey({}, r.pick(PROTO_KEYS), hostileValue(r, depth + 1))
  return { [r.pick(STRINGS)]: hostileValue(r, depth + 1) }
}

function hostileLeaf(r: Random): unknown {
  return r.pick([r.pick(STRINGS), r.pick(NUMBERS), null, {}, []])
}

function nested(depth: number, arrays: boolean): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v }
  return v
}

/** Sets an own property, even `__proto__`, so that JSON.stringify writes it. */
function withKey(o: object, key: string, value: unknown): object {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
  return o
}

/** A value the schema would take, roughly: to add a field the body left out. */
export function plausible(s: JsonSchema | undefined, r: Random): unknown {
  if (!s) return r.pick(STRINGS)
  if (Array.isArray(s.enum)) return r.pick(s.enum)
  if ('const' in s) return s.const
  if (Array.isArray(s.anyOf)) return plausible(r.pick(s.anyOf as JsonSchema[]), r)
  if (s.type === 'integer' || s.type === 'number') {
    return r.pick([s.minimum, s.maximum, 1, 30].filter((n) => typeof n === 'number'))
  }
  if (s.type === 'boolean') return r.int(2) === 0
  if (s.type === 'array') return [plausible(s.items as JsonSchema | undefined, r)]
  if (s.type === 'object') {
    const o: Record<string, unknown> = {}
    for (const k of s.required ?? []) o[k] = plausible(s.properties?.[k], r)
    return o
  }
  return r.pick(['a', 'ok_slug', 'https://app.bank.example', 'USD', '2026-01-01', '30d', '2h'])
}

type Path = (string | number)[]

/** The schema of the value at `path`, as far as the schema tells. */
function schemaAt(s: JsonSchema | undefined, path: Path): JsonSchema | undefined {
  let at = s
  for (const key of path) {
    if (!at) return undefined
    if (typeof key === 'number') at = at.items as JsonSchema | undefined
    else {
      at =
        at.properties?.[key] ??
        at.allOf?.map((p) => p.properties?.[key]).find(Boolean) ??
        (typeof at.additionalProperties === 'object'
          ? (at.additionalProperties as JsonSchema)
          : undefined)
    }
  }
  return at
}

/** The places in a JSON value, root first, down to a depth (bodies may be nested deep). */
function places(v: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path)
  if (path.length >= 12) return out
  if (Array.isArray(v)) v.slice(0, 20).forEach((x, i) => places(x, [...path, i], out))
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) places((v as Record<string, unknown>)[k], [...path, k], out)
  }
  return out
}

function get(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((at, k) => (at as Record<string | number, unknown>)?.[k], v)
}

/** One way of breaking the body; returns the new root. */
function mutate(body: unknown, schema: JsonSchema, r: Random): unknown {
  const path = r.pick(places(body))
  const target = get(body, path)
  const parent = path.length ? (get(body, path.slice(0, -1)) as Record<string, unknown>) : null
  const key = path.at(-1)
  const replace = (value: unknown) => {
    if (!parent) return value
    if (Array.isArray(parent)) parent[key as number] = value
    else withKey(parent, key as string, value)
    return body
  }
  const op = r.int(6)
  if (op === 0) return replace(hostileValue(r))
  if (op === 1 && parent) {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete parent[key as string]
    return body
  }
  if (op === 2 && target && typeof target === 'object' && !Array.isArray(target)) {
    // A field the schema knows but the body left out, or one it does not know.
    const sub = schemaAt(schema, path)
    const known = Object.keys(sub?.properties ?? {})
    const name = r.int(3) > 0 && known.length ? r.pick(known) : r.pick([...PROTO_KEYS, ...STRINGS])
    const value = r.int(2) ? plausible(sub?.properties?.[name], r) : hostileValue(r)
    withKey(target, name, value)
    return body
  }
  if (op === 3) return replace(r.int(2) ? [target] : { value: target })
  if (op === 4 && Array.isArray(target)) {
    return replace(Array.from({ length: r.pick([0, 11, 101, 2_000]) }, () => target[0]))
  }
  return replace(plausible(schemaAt(schema, path), r))
}

const NOT_JSON = [
  '',
  '{',
  '{"a":',
  'nul',
  'undefined',
  'NaN',
  '{"x":1}trailing',
  '\ufeff{}',
  "{'single': 'quotes'}",
  '{"a":1,}',
  '1e999',
  '-0',
  '"a string"',
  '[]',
  'null',
  'true',
  '1' + '0'.repeat(400),
  '{"role":"read","role":"admin"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '['.repeat(50_000) + ']'.repeat(50_000),
  '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
  '\u0000',
  '\ud800',
]

/** The n-th hostile body for a route: mostly its example broken 1–4 ways, some not JSON at all. */
export function hostileBody(r: Random, example: unknown, schema: JsonSchema): string {
  const roll = r.int(20)
  if (roll === 0) return r.pick(NOT_JSON)
  if (roll === 1) return JSON.stringify(hostileValue(r))
  let body = structuredClone(example)
  for (let i = 1 + r.int(4); i > 0; i--) body = mutate(body, schema, r)
  return JSON.stringify(body) ?? 'undefined'
}
