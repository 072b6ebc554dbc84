import { describe, expect, it } from 'vitest'
import {
  describeFilters,
  tierOptions,
  withDevice,
  withPeriod,
  withRange,
  withTier,
} from '../../dashboard/src/state/filters'
import { keyFromHash, keyProblem, signInError } from '../../dashboard/src/state/session'
import { parseSort, sortRows, toggleSort } from '../../dashboard/src/lib/sort'
import { parseUrlState } from '../../dashboard/src/state/url-state'

const base = parseUrlState('/features', '?period=7d&tier=plus')

describe('dashboard filters', () => {
  it('drops custom dates when a preset is chosen', () => {
    const custom = parseUrlState('/', '?from=2026-01-01&to=2026-01-31')
    expect(withPeriod(custom, '90d')).toEqual({ view: 'overview', period: '90d', params: {} })
  })

  it('starts a custom range from the preset it replaces, ending today', () => {
    const s = withPeriod(base, 'custom', '2026-03-10')
    expect([s.period, s.from, s.to]).toEqual(['custom', '2026-03-04', '2026-03-10'])
  })

  it('has a 12-month preset, for revenue over its months', () => {
    const year = parseUrlState('/revenue', '?period=365d')
    expect(year.period).toBe('365d')
    const s = withPeriod(year, 'custom', '2026-03-10')
    expect([s.from, s.to]).toEqual(['2025-03-11', '2026-03-10'])
  })

  it('applies a custom range only when both dates are valid and in order', () => {
    expect(withRange(base, '2026-03-01', '2026-03-05')).toMatchObject({
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-05',
    })
    expect(withRange(base, '2026-03-05', '2026-03-01')).toBe(base)
    expect(withRange(base, '', '2026-03-01')).toBe(base)
  })

  it('sets and clears tier and device', () => {
    expect(withTier(base, 'premium').tier).toBe('premium')
    expect('tier' in withTier(base, undefined)).toBe(false)
    expect(withDevice(base, 'mobile').device).toBe('mobile')
    expect('device' in withDevice(withDevice(base, 'mobile'), undefined)).toBe(false)
  })

  it('offers the configured tiers plus one from a shared link', () => {
    expect(tierOptions(['free', 'plus', 'plus'])).toEqual(['free', 'plus'])
    expect(tierOptions(['free'], 'legacy')).toEqual(['free', 'legacy'])
  })

  it('says in one line what the numbers cover', () => {
    expect(describeFilters(withDevice(base, 'mobile'))).toBe('Last 7 days · plus · mobile')
    expect(describeFilters(withRange(base, '2026-01-01', '2026-01-01'))).toBe('2026-01-01 · plus')
  })
})

describe('dashboard sign-in', () => {
  it('reads a key from a #key= link', () => {
    expect(keyFromHash('#key=sk_abc123')).toBe('sk_abc123')
    expect(keyFromHash('#other=1')).toBeNull()
    expect(keyFromHash('')).toBeNull()
  })

  it('explains a key that cannot work before asking the server', () => {
    expect(keyProblem('')).toMatch(/Paste a key/)
    expect(keyProblem('pk_123')).toMatch(/public key/)
    expect(keyProblem('hello')).toMatch(/start with sk_/)
    expect(keyProblem(' sk_ok ')).toBeNull()
  })

  it('words a rejected key so a person knows what to do', () => {
    expect(signInError(401)).toMatch(/unknown or has been revoked/)
    expect(signInError(403, 'ingest')).toMatch(/ingest key/)
    expect(signInError(0)).toMatch(/cannot be reached/)
  })
})

describe('dashboard table sorting', () => {
  const rows = [
    { n: 'a', v: 2 },
    { n: 'b', v: null },
    { n: 'c', v: 5 },
    { n: 'd', v: 1 },
  ]

  it('sorts both ways and keeps missing values last', () => {
    const by = (desc: boolean) => sortRows(rows, { key: 'v', desc }, (r) => r.v).map((r) => r.n)
    expect(by(true)).toEqual(['c', 'a', 'd', 'b'])
    expect(by(false)).toEqual(['d', 'a', 'c', 'b'])
  })

  it('flips the same column and starts a new one descending', () => {
    expect(toggleSort({ key: 'v', desc: true }, 'v')).toEqual({ key: 'v', desc: false })
    expect(toggleSort({ key: 'v', desc: false }, 'n')).toEqual({ key: 'n', desc: true })
  })

  it('reads the order from the URL', () => {
    expect(parseSort('-adoption', { key: 'x', desc: false })).toEqual({
      key: 'adoption',
      desc: true,
    })
    expect(parseSort(undefined, { key: 'x', desc: false })).toEqual({ key: 'x', desc: false })
  })
})
