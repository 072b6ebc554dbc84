/**
 * ClickHouse's own windowFunnel cases, translated to Stepwise events, with the levels its
 * `.reference` files expect. Sources (github.com/ClickHouse/ClickHouse):
 * - tests/queries/0_stateless/00632_aggregation_window_funnel.sql / .reference
 * - tests/queries/0_stateless/01646_fix_window_funnel_inconistency.sql / .reference
 * - docs/en/sql-reference/aggregate-functions/parametric-functions.md (windowFunnel example)
 * `ordered` is `windowFunnel(w, 'strict_once')`, `strict` is `windowFunnel(w, 'strict_order',
 * 'strict_once')`; where ClickHouse's plain mode gives the same level (no event fills two steps)
 * its case is used for `ordered` too. Modes Stepwise lacks (`strict_deduplication`,
 * `strict_increase`, `allow_reentry`) are left out. Times are seconds, as in the tests.
 */
import { describe, expect, it } from 'vitest'
import { actorFunnel, type FunnelOrder } from '../../worker/analysis/funnel-attempts'
import { FunnelCounter, funnelSteps, type FunnelEvent } from '../../worker/analysis/funnel'

type Row = Record<string, unknown> & { t: number }
type Cond = (r: Row) => boolean

/** One actor's level: rows in the order given (a stable sort by time, as ClickHouse's). */
function level(window: number, order: FunnelOrder, conds: Cond[], rows: Row[]): number {
  const f = actorFunnel({
    steps: conds.length,
    windowMs: window * 1000,
    order,
    startBefore: Infinity,
  })
  for (const r of [...rows].sort((a, b) => a.t - b.t)) {
    const matched = conds.flatMap((c, i) => (c(r) ? [i] : []))
    if (matched.length || order === 'strict') f.add(r.t * 1000, matched, null)
  }
  return f.outcome().level
}

const ev = (...ids: number[]): Cond[] => ids.map((id) => (r) => r.event === id)
const is = (...names: string[]): Cond[] => names.map((n) => (r) => r.event === n)
/** `(t, name)` pairs of one user. */
const seq = (pairs: [number, string | number][]): Row[] => pairs.map(([t, event]) => ({ t, event }))
/** Names at t = 1, 2, 3, … */
const walk = (names: string): Row[] => seq([...names].map((n, i) => [i + 1, n]))

describe('ClickHouse 00632_aggregation_window_funnel', () => {
  const funnelTest = seq([...Array(9)].map((_, i) => [i, 1000 + i]))
  it.each([
    [10000, [1000], 1],
    [10000, [1000, 1001], 2],
    [10000, [1000, 1001, 1002], 3],
    [10000, [1000, 1001, 1002, 1008], 4],
    [1, [1000], 1],
    [2, [1003, 1004, 1005, 1006, 1007], 3],
    [3, [1003, 1004, 1005, 1006, 1007], 4],
    [4, [1003, 1004, 1005, 1006, 1007], 5],
  ])('funnel_test: window %i, steps %j → %i', (w, ids, expected) => {
    expect(level(w, 'ordered', ev(...ids), funnelTest)).toBe(expected)
  })

  const funnelTest2 = seq([...Array(8)].map((_, i) => [i + 1, 1001 + i]))
  it.each([
    [4, [1003, 1004, 1005, 1006, 1007], 5],
    [10000, [1001, 1008], 2],
    [10000, [1008, 1001], 1],
  ])('funnel_test2: window %i, steps %j → %i', (w, ids, expected) => {
    expect(level(w, 'ordered', ev(...ids), funnelTest2)).toBe(expected)
  })

  it('funnel_test2: overlapping conditions (event <= 1007, >= 1002, <= 1006, >= 1004) → 4', () => {
    const e = (r: Row) => r.event as number
    const conds: Cond[] = [
      (r) => e(r) <= 1007,
      (r) => e(r) >= 1002,
      (r) => e(r) <= 1006,
      (r) => e(r) >= 1004,
    ]
    expect(level(4, 'ordered', conds, funnelTest2)).toBe(4)
  })

  it('funnel_test_strict: a repeated step does not stop the plain funnel → 7', () => {
    const rows = seq([
      [0, 1000],
      [10, 1001],
      [20, 1002],
      [30, 1003],
      [40, 1004],
      [50, 1005],
      [51, 1005],
      [60, 1006],
      [70, 1007],
      [80, 1008],
    ])
    expect(level(10000, 'ordered', ev(1000, 1001, 1002, 1003, 1004, 1005, 1006), rows)).toBe(7)
  })

  const users = ['abc', 'adbc', 'aabbcc', 'aaaabbcc', 'aabbdcc', 'ccbbaa']
  it.each(users.map((u, i) => [u, [3, 3, 3, 3, 3, 1][i], [3, 1, 3, 3, 2, 1][i]] as const))(
    'funnel_test_strict_order: %s → %i plain, %i strict_order',
    (u, plain, strict) => {
      expect(level(86400, 'ordered', is('a', 'b', 'c'), walk(u))).toBe(plain)
      expect(level(86400, 'strict', is('a', 'b', 'c'), walk(u))).toBe(strict)
    },
  )

  it('funnel_test_strict_order: a c b in a 10 s window → 1', () => {
    expect(level(10, 'strict', is('a', 'b', 'c'), walk('acb'))).toBe(1)
  })

  it('funnel_test_non_null: NULL-safe conditions', () => {
    const u = [
      [
        { t: 1, a: 'a1', b: 'b1' },
        { t: 2, a: 'a2', b: 'b2' },
      ],
      [
        { t: 1, a: 'a1', b: null },
        { t: 2, a: 'a2', b: null },
      ],
      [{ t: 1, a: null, b: null }],
      [
        { t: 1, a: null, b: 'b1' },
        { t: 2, a: 'a2', b: null },
        { t: 3, a: null, b: 'b3' },
      ],
    ] as Row[][]
    const of = (conds: Cond[], order: FunnelOrder = 'ordered') =>
      u.map((r) => level(86400, order, conds, r))
    expect(of([(r) => r.a === 'a1', (r) => r.a === 'a2'])).toEqual([2, 2, 0, 0])
    expect(of([(r) => r.a === 'a1', (r) => r.b === 'b2'])).toEqual([2, 1, 0, 0])
    expect(of([(r) => r.a === null && r.b === null])).toEqual([0, 0, 1, 0])
    expect(of([(r) => r.a === null, (r) => r.b === 'b3'])).toEqual([0, 0, 1, 2])
    expect(of([(r) => r.a === null, (r) => r.b === 'b3'], 'strict')).toEqual([0, 0, 1, 1])
  })

  it('funnel_test_strict_increase: one event fills one of three identical steps (strict_once) → 1', () => {
    const rows = seq([
      [0, 1000],
      [1, 1001],
      [1, 1002],
      [1, 1003],
      [2, 1004],
    ])
    expect(level(10000, 'ordered', ev(1004, 1004, 1004), rows)).toBe(1)
    expect(level(10000, 'ordered', ev(1000, 1001, 1002, 1003, 1004), rows)).toBe(5)
  })

  it('strict_once: failure → failure → success within 200 s → 123: 3, 234: 2, 345: 1', () => {
    const conds = is('failure', 'failure', 'success')
    const u123 = seq([
      [180, 'failure'],
      [220, 'failure'],
      [250, 'success'],
    ])
    const u234 = seq([
      [100, 'failure'],
      [250, 'failure'],
    ])
    const u345 = seq([
      [200, 'success'],
      [210, 'failure'],
      [230, 'success'],
    ])
    expect([u123, u234, u345].map((r) => level(200, 'ordered', conds, r))).toEqual([3, 2, 1])
  })

  const reentry = ['abac', 'ababc', 'abcbd', 'acb', 'abcabcd']
  it.each(reentry.map((u, i) => [u, [2, 2, 3, 1, 3][i], [2, 2, 4, 1, 3][i]] as const))(
    'funnel_test_allow_reentry: %s → %i strict_order (a b c), %i (a b c d)',
    (u, three, four) => {
      expect(level(86400, 'strict', is('a', 'b', 'c'), walk(u))).toBe(three)
      expect(level(86400, 'strict', is('a', 'b', 'c', 'd'), walk(u))).toBe(four)
    },
  )

  it('funnel_test_ecommerce: strict_order', () => {
    const [b, v, p] = ['begin_checkout', 'view_product_detail', 'complete_payment']
    const users = [
      seq([
        [100, b],
        [200, v],
        [300, b],
        [400, p],
      ]),
      seq([
        [100, b],
        [200, v],
        [250, v],
        [300, b],
        [400, p],
      ]),
      seq([
        [100, b],
        [200, v],
        [300, p],
      ]),
    ]
    expect(users.map((r) => level(600, 'strict', is(b, v, p), r))).toEqual([2, 2, 3])
    expect(users.map((r) => level(600, 'strict', is(b, v, b, p), r))).toEqual([1, 1, 1])
  })
})

describe('ClickHouse 01646_fix_window_funnel_inconistency', () => {
  const DAY = 86400
  const steps = ev(1004, 1003, 1002)
  it('orders a tie by step index, whichever event arrived first → level 2', () => {
    const late = 2 * DAY
    expect(
      level(
        6048000000000000,
        'ordered',
        steps,
        seq([
          [late, 1004],
          [late, 1003],
          [DAY, 1002],
        ]),
      ),
    ).toBe(2)
    expect(
      level(
        6048000000000000,
        'ordered',
        steps,
        seq([
          [late, 1003],
          [late, 1004],
          [DAY, 1002],
        ]),
      ),
    ).toBe(2)
  })

  it('through the counter: a step-2 event stored before the step-1 event of the same ms converts', () => {
    const A = { type: 'page', path: '/a' } as const
    const B = { type: 'page', path: '/b' } as const
    for (const order of ['ordered', 'strict'] as const) {
      const counter = new FunnelCounter([A, B], {
        windowMs: 60_000,
        order,
        by: 'user',
        startBefore: Infinity,
      })
      const e = (path: string) =>
        ({ type: 'page', path, uid: 'u1', sid: 's1', ts: 1000 }) as FunnelEvent
      counter.add(e('/b')) // the smaller id: the scan hands it over first
      counter.add(e('/a'))
      expect(funnelSteps([A, B], counter.outcomes()).map((s) => s.count)).toEqual([1, 1])
    }
  })
})

describe('ClickHouse docs example (windowFunnel)', () => {
  it('1003 → 1009 → 1007 → 1010 over four days → level 4', () => {
    const h = 3600
    const rows = seq([
      [29 * 24 * h + 10 * h, 1003],
      [31 * 24 * h + 9 * h, 1007],
      [30 * 24 * h + 8 * h, 1009],
      [32 * 24 * h + 8 * h, 1010],
    ])
    expect(level(6048000000000000, 'ordered', ev(1003, 1009, 1007, 1010), rows)).toBe(4)
  })
})
