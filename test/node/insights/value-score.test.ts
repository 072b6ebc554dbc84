import { describe, expect, it } from 'vitest'
import {
  DEFAULT_VALUE_WEIGHTS,
  normalise,
  valueScores,
  type ComponentValues,
} from '../../../worker/analysis/value-score'

const item = (v: Partial<ComponentValues>): ComponentValues => ({
  usage: null,
  time: null,
  revenue: null,
  satisfaction: null,
  retention: null,
  ...v,
})

describe('value score', () => {
  it('min–max normalises a component across the features of a tier', () => {
    expect(normalise([10, 30, 20])).toEqual([0, 1, 0.5])
  })

  it('gives every feature 1 when they tie on a positive value, 0 when they tie at zero', () => {
    expect(normalise([4, 4])).toEqual([1, 1])
    expect(normalise([0, 0])).toEqual([0, 0])
  })

  it('weights the normalised components with the defaults, dropping one no feature has', () => {
    // revenue is null everywhere, so the weights are usage .25, time .1, satisfaction .2,
    // retention .2, summing to .75.
    // A: usage 0, time 1, satisfaction 0, retention 1 → (.1 + .2) / .75 = .4
    // B: usage 1, time .5, satisfaction 1, retention 0 → (.25 + .05 + .2) / .75 = .6667
    const scores = valueScores(
      [
        item({ usage: 10, time: 100, satisfaction: 4, retention: 10 }),
        item({ usage: 30, time: 50, satisfaction: 5, retention: -5 }),
        item({ usage: 20, time: 0, retention: 0 }),
      ],
      DEFAULT_VALUE_WEIGHTS,
    )
    expect(scores.slice(0, 2)).toEqual([40, 66.7])
  })

  it('renormalises the weights of a feature that lacks one component', () => {
    // C has no satisfaction: usage .5 (·.25), time 0 (·.1), retention 1/3 (·.2) over .55
    // = (.125 + .0667) / .55 = .3485
    const scores = valueScores(
      [
        item({ usage: 10, time: 100, satisfaction: 4, retention: 10 }),
        item({ usage: 30, time: 50, satisfaction: 5, retention: -5 }),
        item({ usage: 20, time: 0, retention: 0 }),
      ],
      DEFAULT_VALUE_WEIGHTS,
    )
    expect(scores[2]).toBe(34.8)
  })

  it('follows configured weights, leaving out a component weighted 0', () => {
    const weights = { usage: 1, time: 0, revenue: 0, satisfaction: 0, retention: 0 }
    expect(
      valueScores([item({ usage: 5, time: 9 }), item({ usage: 15, time: 1 })], weights),
    ).toEqual([0, 100])
  })

  it('has no score for a feature with no component it can be scored on', () => {
    expect(valueScores([item({})], DEFAULT_VALUE_WEIGHTS)).toEqual([null])
  })
})
