/**
 * The churn model card and a user's factors in words (dashboard/src/lib/model-card.ts,
 * churn-factors.ts): the AUC as "ranks a churner above a stayer", every backtest number
 * labelled, no number at all without a model, factors signed in log-odds.
 */
import { describe, expect, it } from 'vitest'
import type { ChurnModelCard } from '../../dashboard/src/api/types'
import {
  factorLabel,
  factorPhrase,
  factorShare,
  formatContribution,
} from '../../dashboard/src/lib/churn-factors'
import { aucSentence, formatTimes, modelCardWords } from '../../dashboard/src/lib/model-card'

const NOW = Date.parse('2026-12-04T18:00:00Z')

const OK: ChurnModelCard = {
  status: 'ok',
  reason: null,
  trained_at: '2026-12-04T14:05:00.000Z',
  next_training_after: '2026-12-11T14:05:00.000Z',
  cut_day: '2026-12-05',
  horizon_days: 14,
  n: 273,
  churners: 44,
  base_rate: 0.16117,
  intercept: -2.56,
  coefficients: [{ feature: 'sessions', coefficient: -0.4, mean: 3, sd: 2 }],
  auc: 0.8234,
  auc_interval: [0.7801, 0.8649],
  brier: 0.10771,
  ece: 0.0637,
  top_decile_lift: 3.9886,
  hit_rate_at_3: 0.4667,
  holdout: {
    n: 250,
    churners: 40,
    base_rate: 0.16,
    trained_cut: '2026-11-07',
    holdout_cut: '2026-11-21',
    hit_rate_n: 30,
  },
  scored_users: 375,
}

describe('the churn model card in words', () => {
  it('says how often the model ranks a churner above a stayer, with its interval', () => {
    expect(aucSentence(0.8234, [0.7801, 0.8649])).toBe(
      'Ranks a churner above a stayer 82% of the time (95% interval 78–86%).',
    )
    expect(aucSentence(0.5, null)).toBe('Ranks a churner above a stayer 50% of the time.')
    expect(aucSentence(null, null)).toContain('could not be measured')
  })

  it('labels every backtest number, with what it was judged on', () => {
    const w = modelCardWords(OK, NOW)
    if (w.status !== 'ok') throw new Error('expected an ok card')
    expect(w.headline).toBe('Ranks a churner above a stayer 82% of the time (95% interval 78–86%).')
    expect(w.basis).toBe(
      'Judged on how 250 users fared in the 14 days after 2026-11-21, which it never saw: 40 of them churned.',
    )
    expect(w.facts.map((f) => [f.label, f.value])).toEqual([
      ['Base rate', '16.1%'],
      ['Brier score', '0.108'],
      ['Calibration error', '6.4%'],
      ['Top-decile lift', '4×'],
      ['Recommendation hit rate', '46.7%'],
      ['Trained', 'Dec 4, 14:05 UTC'],
      ['Users', '273'],
    ])
    expect(w.facts.every((f) => f.hint.length > 10)).toBe(true)
  })

  it('gives the reason and no number when there is too little data', () => {
    const card: ChurnModelCard = {
      ...OK,
      status: 'insufficient_data',
      reason: 'backtest: 120 users, fewer than the 200 a model needs',
      auc: null,
      auc_interval: null,
      brier: null,
      ece: null,
      top_decile_lift: null,
      hit_rate_at_3: null,
      holdout: null,
      base_rate: null,
    }
    const w = modelCardWords(card, NOW)
    expect(w).toEqual({
      status: 'insufficient_data',
      headline: 'No churn predictions yet.',
      reason: 'backtest: 120 users, fewer than the 200 a model needs',
    })
    expect(JSON.stringify(w)).not.toMatch(/\d%/)
  })

  it('writes a lift as a multiple, and none as a dash', () => {
    expect(formatTimes(1.84)).toBe('1.8×')
    expect(formatTimes(null)).toBe('–')
  })
})

describe('churn factors', () => {
  it('signs contributions with a true minus and two decimals', () => {
    expect(formatContribution(0.4231)).toBe('+0.42')
    expect(formatContribution(-0.3)).toBe('−0.30')
    expect(formatContribution(0.001)).toBe('0.00')
    expect(formatContribution(null)).toBe('–')
  })

  it('names the model’s features, a tier column by the tier’s own name', () => {
    expect(factorLabel('workflow_failures')).toBe('Workflow failures')
    expect(factorLabel('tenure_days')).toBe('Tenure (days)')
    expect(factorLabel('tier:premium')).toBe('Tier premium')
  })

  it('says which way a factor moves the risk', () => {
    const up = { feature: 'workflow_failures', value: 2, contribution: 1.7724 }
    const down = { feature: 'sessions', value: 9, contribution: -0.5 }
    expect(factorPhrase(up)).toBe('Workflow failures raises risk (+1.77)')
    expect(factorPhrase(down)).toBe('Sessions lowers risk (−0.50)')
    expect(factorShare(up, [up, down])).toBe(1)
    expect(factorShare(down, [up, down])).toBeCloseTo(0.5 / 1.7724)
    expect(factorShare(up, [{ ...up, contribution: 0 }])).toBe(0)
  })
})
