/**
 * Upgrade conversion by feature (DESIGN §7.9) on a hand-built March: only users free at some
 * time in it are at risk, and a feature counts for them only when used while free. Paid
 * signups used to count as converted non-users of every feature they met after signing up,
 * which made most features of the demo look as if their users converted less.
 */
import { describe, expect, it } from 'vitest'
import { newcombeInterval } from '../../../worker/analysis/revenue/newcombe'
import { report, row } from './rows'

const PLUS = 999
const start = (day: string, uid: string) => row(day, uid, 'plus', PLUS, { started: 1 })
const cancel = (day: string, uid: string) =>
  row(day, uid, 'free', 0, { cancelled: 1, charged_cents: 0 })

/**
 * f1–f6: free since before March; f1 (budgets on the 2nd) converts on the 10th, f3 (no
 * budgets) on the 12th, f2 used budgets and stays free. p1–p3 sign up paying on the 5th (p1
 * opens budgets the day after); v1 visited on the 7th without an account and signed up paying
 * on the 8th (its first day with a tier). n1 signs up free on the 10th, uses budgets on the
 * 11th, converts on the 20th. n2 likewise, but opened budgets on a visit on the 9th before
 * signing up free on the 10th (its first day with a tier), then daily: its first use in March
 * is before its account, the uses that count from the 10th. n3 opened goals on a visit on the
 * 9th only, signs up free on the 10th and stays free. c1, c2 pay since February and cancel on
 * the 15th: c1 uses budgets on the 20th and comes back on the 25th; c2 used them on the 2nd,
 * while paying, and stays away.
 * Goals are met only after paying (f1 on the 15th, f3 on the 14th).
 */
const ROWS = [
  start('2026-02-03', 'c1'),
  start('2026-02-03', 'c2'),
  start('2026-03-05', 'p1'),
  start('2026-03-05', 'p2'),
  start('2026-03-05', 'p3'),
  start('2026-03-08', 'v1'),
  start('2026-03-10', 'f1'),
  start('2026-03-12', 'f3'),
  cancel('2026-03-15', 'c1'),
  cancel('2026-03-15', 'c2'),
  start('2026-03-20', 'n1'),
  start('2026-03-20', 'n2'),
  start('2026-03-25', 'c1'),
]
const ACTIVE = 'f1 f2 f3 f4 f5 f6 p1 p2 p3 v1 n1 n2 n3 c1 c2'.split(' ')
const MARCH_INPUT = {
  active: new Map([['2026-03', new Set(ACTIVE)]]),
  firstSeen: new Map([
    ['p1', '2026-03-05'],
    ['p2', '2026-03-05'],
    ['p3', '2026-03-05'],
    ['v1', '2026-03-08'],
    ['n1', '2026-03-10'],
    ['n2', '2026-03-10'],
    ['n3', '2026-03-10'],
  ]),
  featureUses: new Map([
    [
      'budget_tracking',
      new Map([
        ['f1', '2026-03-02'],
        ['f2', '2026-03-03'],
        ['c2', '2026-03-02'],
        ['p1', '2026-03-06'],
        ['n1', '2026-03-11'],
        ['n2', '2026-03-09'],
        ['c1', '2026-03-20'],
      ]),
    ],
    [
      'goal_setting',
      new Map([
        ['f1', '2026-03-15'],
        ['f3', '2026-03-14'],
        ['n3', '2026-03-09'],
      ]),
    ],
  ]),
  afterChurnUses: new Map([['budget_tracking', new Map([['c1', '2026-03-20']])]]),
  afterSignupUses: new Map([['budget_tracking', new Map([['n2', '2026-03-10']])]]),
}

describe('upgrade conversion, users free at some time in the period', () => {
  const conv = report('2026-03-01', '2026-03-31', ROWS, MARCH_INPUT).metrics.upgrade_conversion

  it('counts the users at risk: free at its start, signed up free, or churned in it', () => {
    // f1–f6, n1–n3, c1, c2; converted f1, f3, n1, n2 and c1 (a reactivation).
    expect(conv).toMatchObject({ n: 11, converted: 5, rate: 0.4545 })
  })

  it('compares those who used a feature while free with the rest', () => {
    const budgets = conv.features.find((f) => f.feature === 'budget_tracking')!
    // Users while free: f1, f2, n1, n2 (from its signup), c1 (after churning). c2 used it
    // only while paying.
    expect(budgets.users).toEqual({ n: 5, converted: 4, rate: 0.8 })
    // f3, f4, f5, f6, n3, c2.
    expect(budgets.non_users).toEqual({ n: 6, converted: 1, rate: 0.1667 })
    expect(budgets.difference).toBe(0.6333)
    expect(budgets.lift).toBe(4.8)
    const [lo, hi] = newcombeInterval(4, 5, 1, 6)!
    expect(budgets.interval).toEqual([Math.round(lo * 1e4) / 1e4, Math.round(hi * 1e4) / 1e4])
  })

  it('leaves out a feature nobody used while free', () => {
    // goal_setting: f1 and f3 after paying, n3 only before signing up.
    expect(conv.features.map((f) => f.feature)).toEqual(['budget_tracking'])
  })
})
