/**
 * MRR movements (DESIGN §7.9, ChartMogul's five): hand-built subscription histories with the
 * expected figures written here, and a seeded property test that the movements of every month
 * and day add up to the change in MRR exactly.
 */
import { describe, expect, it } from 'vitest'
import { Rng } from '../../../scripts/demo/random'
import { dayAfter } from '../../../worker/analysis/revenue/calendar'
import { dailySeries, monthsOf } from '../../../worker/analysis/revenue/series'
import { movementOf, userHistories } from '../../../worker/analysis/revenue/timeline'
import type { CarriedState, RevenueDayRow } from '../../../worker/analysis/revenue/types'
import { report, row } from './rows'

/** ann: starts plus, upgrades to premium, downgrades, cancels, comes back. */
const ANN = [
  row('2026-01-10', 'ann', 'plus', 999, { started: 1 }),
  row('2026-02-10', 'ann', 'premium', 1999, { upgraded: 1 }),
  row('2026-03-10', 'ann', 'plus', 999, { downgraded: 1 }),
  row('2026-04-10', 'ann', 'free', 0, { cancelled: 1, charged_cents: 0 }),
  row('2026-05-10', 'ann', 'plus', 999, { started: 1 }),
]

describe('MRR movements', () => {
  it('name each change as ChartMogul does', () => {
    expect(movementOf(0, 999, false)).toBe('new')
    expect(movementOf(0, 999, true)).toBe('reactivation')
    expect(movementOf(999, 1999, true)).toBe('expansion')
    expect(movementOf(1999, 999, true)).toBe('contraction')
    expect(movementOf(999, 0, true)).toBe('churn')
    expect(movementOf(999, 999, true)).toBeNull()
  })

  it('put new, expansion, contraction, churn and reactivation in the months they happened', () => {
    const r = report('2026-01-01', '2026-05-31', ANN)
    const byMonth = r.months.map((m) => [
      m.month,
      m.new,
      m.expansion,
      m.contraction,
      m.churn,
      m.reactivation,
      m.mrr,
    ])
    expect(byMonth).toEqual([
      ['2026-01', 9.99, 0, 0, 0, 0, 9.99],
      ['2026-02', 0, 10, 0, 0, 0, 19.99],
      ['2026-03', 0, 0, -10, 0, 0, 9.99],
      ['2026-04', 0, 0, 0, -9.99, 0, 0],
      ['2026-05', 0, 0, 0, 0, 9.99, 9.99],
    ])
    expect(r.months.map((m) => m.partial)).toEqual([false, false, false, false, false])
    expect(r.movements).toEqual({
      new: 9.99,
      expansion: 10,
      contraction: -10,
      churn: -9.99,
      reactivation: 9.99,
    })
  })

  it('call a comeback a reactivation even when the first payment was before the period', () => {
    const carried: CarriedState[] = [
      { uid: 'ann', tier: 'free', mrr_cents: 0, first_paid_day: '2025-06-01' },
    ]
    const r = report('2026-05-01', '2026-05-31', [ANN[4]], { carried, windowFrom: '2026-05-01' })
    expect(r.movements.reactivation).toBe(9.99)
    expect(r.movements.new).toBe(0)
  })

  it('keep the MRR of a day with only a refund or a one-off charge', () => {
    const rows = [
      ANN[0],
      row('2026-01-15', 'ann', 'plus', null, { refunded_cents: 999 }),
      row('2026-01-20', 'ann', 'plus', null, { charged_cents: 2500 }),
    ]
    const r = report('2026-01-01', '2026-01-31', rows)
    expect(r.mrr).toBe(9.99)
    expect(r.months[0]).toMatchObject({ revenue: 25, refunds: 9.99 })
  })

  it('count a yearly plan at a twelfth: the rollup stores round(value × 100 / 12) cents', () => {
    // 119.88 a year → 999 cents a month (worker/rollups/revenue-days.ts).
    const r = report('2026-01-01', '2026-01-31', [
      row('2026-01-05', 'yan', 'premium', 999, { interval: 'year', charged_cents: 11988 }),
    ])
    expect(r.mrr).toBe(9.99)
    expect(r.months[0].revenue).toBe(119.88)
  })

  it('mark the first and last months partial when the period cuts them', () => {
    const r = report('2026-01-15', '2026-03-10', ANN)
    expect(r.months.map((m) => [m.month, m.from, m.to, m.partial])).toEqual([
      ['2026-01', '2026-01-15', '2026-01-31', true],
      ['2026-02', '2026-02-01', '2026-02-28', false],
      ['2026-03', '2026-03-01', '2026-03-10', true],
    ])
  })
})

/** Random subscription histories: starts, changes, cancellations, refunds over 200 days. */
function randomRows(rng: Rng, users: number, from: string, days: number): RevenueDayRow[] {
  const rows: RevenueDayRow[] = []
  for (let u = 0; u < users; u++) {
    let day = from
    let mrr = 0
    for (let d = 0; d < days; d++, day = dayAfter(day)) {
      if (!rng.chance(0.08)) continue
      const yearly = rng.chance(0.2)
      const price = Math.round(rng.between(100, 5000))
      const next = mrr > 0 && rng.chance(0.3) ? 0 : yearly ? Math.round((price * 10) / 12) : price
      const refundOnly = rng.chance(0.1)
      rows.push(
        row(day, `u${u}`, next ? 'plus' : 'free', refundOnly ? null : next, {
          refunded_cents: refundOnly ? price : 0,
          started: mrr === 0 && next > 0 ? 1 : 0,
        }),
      )
      if (!refundOnly) mrr = next
    }
  }
  return rows
}

describe('movements add up (seeded property test)', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`to ΔMRR in every month and day, in cents (seed ${seed})`, () => {
      const rng = new Rng(seed)
      const rows = randomRows(rng, 40, '2025-11-20', 200)
      const from = '2025-12-' + String(1 + Math.floor(rng.between(0, 28))).padStart(2, '0')
      const carried: CarriedState[] = []
      const users = userHistories(carried, rows)
      const series = dailySeries(users.values(), from, '2026-06-07')
      let previous = series.start_mrr
      for (const d of series.days) {
        const sum = d.new + d.expansion + d.contraction + d.churn + d.reactivation
        expect(d.mrr - previous).toBe(sum)
        previous = d.mrr
      }
      for (const m of monthsOf(series)) {
        const sum = m.new + m.expansion + m.contraction + m.churn + m.reactivation
        expect(m.mrr - m.mrr_start).toBe(sum)
        expect(Number.isInteger(sum)).toBe(true)
      }
      // And as answered, in units: exact to the cent.
      const r = report(from, '2026-06-07', rows)
      for (const m of r.months) {
        const sum = m.new + m.expansion + m.contraction + m.churn + m.reactivation
        expect(Math.round(sum * 100)).toBe(Math.round(m.net_change * 100))
        expect(Math.round((m.mrr - m.mrr_start) * 100)).toBe(Math.round(m.net_change * 100))
      }
      const total = Object.values(r.movements).reduce((a, b) => a + b, 0)
      expect(Math.round(total * 100)).toBe(Math.round((r.mrr - r.mrr_start) * 100))
    })
  }
})
