import { describe, expect, it } from 'vitest'
import {
  cleanStep,
  decodeFunnel,
  DEFAULT_FUNNEL,
  describeStep,
  encodeFunnel,
  funnelBody,
  funnelProblem,
  type FunnelDef,
} from '../../dashboard/src/state/funnel-def'

const def: FunnelDef = {
  steps: [
    { type: 'page', path: '/accounts' },
    { type: 'step', workflow: 'account_linking', step: 'verify' },
    { type: 'conversion', name: 'first_feature_use' },
  ],
  window: '1d',
  order: 'strict',
  by: 'session',
  breakdown: 'tier',
}

describe('dashboard funnel builder', () => {
  it('round-trips a funnel through the URL', () => {
    expect(decodeFunnel(encodeFunnel(def))).toEqual(def)
  })

  it('falls back to the default funnel on a malformed or too short definition', () => {
    expect(decodeFunnel(undefined)).toBe(DEFAULT_FUNNEL)
    expect(decodeFunnel('{not json')).toBe(DEFAULT_FUNNEL)
    expect(decodeFunnel(JSON.stringify({ steps: [{ type: 'page' }] }))).toBe(DEFAULT_FUNNEL)
  })

  it('drops unknown types, fields and options from a shared link', () => {
    const raw = JSON.stringify({
      steps: [{ type: 'page', path: '/a', stage: 'x' }, { type: 'bogus' }, { type: 'revenue' }],
      window: '3y',
      order: 'sideways',
      breakdown: 'planet',
    })
    expect(decodeFunnel(raw)).toEqual({
      steps: [{ type: 'page', path: '/a' }, { type: 'revenue' }],
      window: '14d',
      order: 'ordered',
      by: 'user',
    })
  })

  it('keeps only the fields a step type uses, trimmed and non-empty', () => {
    expect(
      cleanStep({ type: 'feature', feature: ' budget_tracking ', path: '/x', name: '' }),
    ).toEqual({
      type: 'feature',
      feature: 'budget_tracking',
    })
  })

  it('sends no breakdown when none is chosen', () => {
    const { breakdown: _b, ...plain } = def
    expect('breakdown' in funnelBody(plain)).toBe(false)
    expect(funnelBody(def).breakdown).toBe('tier')
  })

  it('says what is missing before running', () => {
    expect(funnelProblem({ ...def, steps: def.steps.slice(0, 1) })).toMatch(/at least 2/)
    expect(funnelProblem({ ...def, steps: [def.steps[0], { type: 'step' }] })).toMatch(/Step 2/)
    expect(funnelProblem(def)).toBeNull()
  })

  it('describes steps in words', () => {
    expect(def.steps.map(describeStep)).toEqual([
      'page /accounts',
      'step account_linking › verify',
      'conversion first_feature_use',
    ])
    expect(describeStep({ type: 'connection' })).toBe('any connection')
  })
})
