/** Funnel math (DESIGN §7.3) on hand-built events; every expected number is written out. */
import { describe, expect, it } from 'vitest'
import {
  FunnelCounter,
  funnelBreakdown,
  funnelSteps,
  type FunnelEvent,
  type FunnelOptions,
  type FunnelStep,
} from '../../worker/analysis/funnel'

const MIN = 60_000
const HOUR = 60 * MIN

const A: FunnelStep = { type: 'page', path: '/accounts' }
const B: FunnelStep = { type: 'step', workflow: 'account_linking', step: 'connect' }
const C: FunnelStep = { type: 'conversion', name: 'account_linked' }

/** An event of step `s` by `uid` at `minute`, in session `sid`. */
function at(s: FunnelStep, uid: string, minute: number, extra: Partial<FunnelEvent> = {}) {
  return { ...s, uid, sid: `${uid}-s1`, ts: minute * MIN, ...extra } as FunnelEvent
}

function run(steps: FunnelStep[], events: FunnelEvent[], o: Partial<FunnelOptions> = {}) {
  const counter = new FunnelCounter(steps, {
    windowMs: HOUR,
    order: 'ordered',
    by: 'user',
    startBefore: Infinity,
    ...o,
  })
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) counter.add(e)
  return counter.outcomes()
}

const counts = (steps: FunnelStep[], events: FunnelEvent[], o: Partial<FunnelOptions> = {}) =>
  funnelSteps(steps, run(steps, events, o)).map((s) => s.count)

describe('funnel', () => {
  it('does not count a step that happens after the window', () => {
    expect(counts([A, B], [at(A, 'u1', 0), at(B, 'u1', 61)])).toEqual([1, 0])
  })

  it('counts a step that happens exactly at the end of the window', () => {
    expect(counts([A, B], [at(A, 'u1', 0), at(B, 'u1', 60)])).toEqual([1, 1])
  })

  it('counts an actor at the furthest step any attempt reaches', () => {
    const events = [
      // u1: the first attempt reaches B; C comes too late for it but a second attempt finishes
      ...[at(A, 'u1', 0), at(B, 'u1', 10), at(C, 'u1', 90)],
      ...[at(A, 'u1', 100), at(B, 'u1', 110), at(C, 'u1', 120)],
      // u2: the first attempt reaches B, a later one only A: u2 stays at B
      ...[at(A, 'u2', 0), at(B, 'u2', 10), at(A, 'u2', 200)],
    ]
    expect(counts([A, B, C], events)).toEqual([2, 2, 1])
  })

  it('lets a later start rescue a funnel whose first start ran out of window', () => {
    const events = [at(A, 'u1', 0), at(A, 'u1', 50), at(B, 'u1', 70), at(C, 'u1', 100)]
    expect(counts([A, B, C], events)).toEqual([1, 1, 1])
  })

  it('uses one event for one step only, even when it matches two', () => {
    const page = { type: 'page' } as FunnelStep
    expect(counts([page, page], [at(A, 'u1', 0)])).toEqual([1, 0])
    expect(counts([page, page], [at(A, 'u1', 0), at(A, 'u1', 1)])).toEqual([1, 1])
  })

  it('in strict order, breaks an attempt on an intervening funnel step', () => {
    const events = [at(A, 'u1', 0), at(C, 'u1', 1), at(B, 'u1', 2), at(C, 'u1', 3)]
    expect(counts([A, B, C], events, { order: 'ordered' })).toEqual([1, 1, 1])
    expect(counts([A, B, C], events, { order: 'strict' })).toEqual([1, 0, 0])
  })

  it('in strict order, completes when the steps come back to back', () => {
    const events = [at(A, 'u1', 0), at(B, 'u1', 1), at(C, 'u1', 2)]
    expect(counts([A, B, C], events, { order: 'strict' })).toEqual([1, 1, 1])
  })

  it('in any order, ignores the order of the steps', () => {
    const events = [at(C, 'u1', 0), at(B, 'u1', 5), at(A, 'u1', 10)]
    expect(counts([A, B, C], events, { order: 'ordered' })).toEqual([1, 0, 0])
    expect(counts([A, B, C], events, { order: 'any' })).toEqual([1, 1, 1])
  })

  it('in any order, still needs all the steps inside one window', () => {
    const events = [at(C, 'u1', 0), at(B, 'u1', 5), at(A, 'u1', 70)]
    expect(counts([A, B, C], events, { order: 'any' })).toEqual([1, 0, 0])
  })

  it('in any order, counts an attempt only if it begins inside the period', () => {
    const o = { order: 'any', startBefore: 10 * MIN } as const
    expect(counts([A, B], [at(A, 'u1', 9), at(A, 'u1', 11), at(B, 'u1', 12)], o)).toEqual([1, 1])
    expect(counts([A, B], [at(A, 'u1', 11), at(B, 'u1', 12)], o)).toEqual([0, 0])
  })

  it('in any order, times each step from when the steps before it were all done', () => {
    const events = [at(B, 'u1', 0), at(A, 'u1', 10), at(C, 'u1', 15)]
    const steps = funnelSteps([A, B, C], run([A, B, C], events, { order: 'any' }))
    // A and B are both done at minute 10 (0 s after A); C at minute 15 (300 s later)
    expect(steps.map((s) => s.median_time_to_convert_s)).toEqual([null, 0, 300])
  })

  it('measures time to convert from the attempt that converted', () => {
    // u1's first A never converts; the second converts 30 minutes later, not 5 h 30 min.
    const events = [at(A, 'u1', 0), at(A, 'u1', 300), at(B, 'u1', 330)]
    const steps = funnelSteps([A, B], run([A, B], events))
    expect(steps[1].median_time_to_convert_s).toBe(1800)
  })

  it('gives per step count, conversion from start and from previous, and median times', () => {
    const events = [
      ...[at(A, 'u1', 0), at(B, 'u1', 2), at(C, 'u1', 12)],
      ...[at(A, 'u2', 0), at(B, 'u2', 4)],
      ...[at(A, 'u3', 0), at(B, 'u3', 6), at(C, 'u3', 26)],
      at(A, 'u4', 0),
    ]
    expect(funnelSteps([A, B, C], run([A, B, C], events))).toMatchObject([
      { index: 1, count: 4, conversion_from_start: 1, conversion_from_previous: 1 },
      { index: 2, count: 3, conversion_from_start: 0.75, conversion_from_previous: 0.75 },
      { index: 3, count: 2, conversion_from_start: 0.5, conversion_from_previous: 0.6667 },
    ])
    const medians = funnelSteps([A, B, C], run([A, B, C], events)).map(
      (s) => s.median_time_to_convert_s,
    )
    // step 2: 120, 240, 360 s → 240; step 3: 600 and 1200 s → 900
    expect(medians).toEqual([null, 240, 900])
  })

  it('returns zeros for a funnel nobody entered', () => {
    expect(funnelSteps([A, B], run([A, B], []))).toEqual([
      {
        index: 1,
        label: 'page /accounts',
        definition: A,
        count: 0,
        conversion_from_start: 0,
        conversion_from_previous: 0,
        median_time_to_convert_s: null,
      },
      {
        index: 2,
        label: 'step account_linking/connect',
        definition: B,
        count: 0,
        conversion_from_start: 0,
        conversion_from_previous: 0,
        median_time_to_convert_s: null,
      },
    ])
  })

  it('starts no attempt at or after the end of the period, but lets one finish there', () => {
    const events = [at(A, 'u1', 0), at(B, 'u1', 20), at(A, 'u2', 15), at(B, 'u2', 16)]
    expect(counts([A, B], events, { startBefore: 10 * MIN })).toEqual([1, 1])
  })

  it('by session, needs the steps in one session; by user, across sessions', () => {
    const events = [at(A, 'u1', 0, { sid: 's1' }), at(B, 'u1', 40, { sid: 's2' })]
    expect(counts([A, B], events, { by: 'user' })).toEqual([1, 1])
    expect(counts([A, B], events, { by: 'session' })).toEqual([1, 0])
  })

  it('breaks down by the first value the converting attempt carries', () => {
    const events = [
      ...[at(A, 'u1', 0, { tier: 'free' }), at(B, 'u1', 5, { tier: 'free' })],
      at(A, 'u2', 0, { tier: 'free' }),
      ...[at(A, 'u3', 0, { tier: null }), at(B, 'u3', 5, { tier: 'premium' })],
    ]
    const outcomes = run([A, B], events, { breakdown: 'tier' })
    const breakdown = funnelBreakdown('tier', [A, B], outcomes)
    expect(breakdown.values.map((v) => [v.value, v.steps.map((s) => s.count)])).toEqual([
      ['free', [2, 1]],
      ['premium', [1, 1]],
    ])
  })

  it('merges breakdown values past the limit into (other)', () => {
    const events = ['a', 'b', 'b', 'c'].map((tier, i) => at(A, `u${i}`, 0, { tier }))
    const breakdown = funnelBreakdown('tier', [A, B], run([A, B], events, { breakdown: 'tier' }), 1)
    expect(breakdown.values.map((v) => [v.value, v.steps[0].count])).toEqual([
      ['b', 2],
      ['(other)', 2],
    ])
  })
})
