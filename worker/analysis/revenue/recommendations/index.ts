/**
 * Revenue levers (DESIGN §7.9): the three kinds, each from plain rows, ranked by monthly value.
 * The formulas are in each lever's file and in docs/formulas.md.
 */
import type { UserHistory } from '../timeline'
import type { RevenueMetrics, Movements } from '../types'
import { featureUpsellLevers } from './feature-upsell'
import { institutionFailureLevers } from './institution-failures'
import { rankLevers, type Lever, type LeverContext } from './lever'
import { payingConnections, type UserConnections } from './paying-connections'
import { tierChurnLevers } from './tier-churn'
import { tierChurnRows } from './tier-churn-rows'

export type LeverInputs = {
  from: string
  to: string
  /** From the /revenue report of the same period. */
  movements: Movements
  metrics: Pick<RevenueMetrics, 'upgrade_conversion' | 'churn_rate'>
  users: Map<string, UserHistory>
  connections: UserConnections[]
}

/**
 * The mean MRR one start brought: (new + reactivation MRR) / the customers who started (new
 * or reactivated) in the period; null without any.
 */
export function mrrPerStart(movements: Movements, started: number): number | null {
  return started > 0 ? (movements.new + movements.reactivation) / started : null
}

export function revenueLevers(input: LeverInputs, ctx: LeverContext, limit: number): Lever[] {
  const { from, to, users } = input
  const { institutions, clean } = payingConnections(input.connections, users, from, to)
  const mrrPerUpgrade = mrrPerStart(input.movements, input.metrics.churn_rate.new_customers)
  return rankLevers(
    [
      ...featureUpsellLevers(input.metrics.upgrade_conversion.features, { ...ctx, mrrPerUpgrade }),
      ...institutionFailureLevers(institutions, clean, ctx),
      ...tierChurnLevers(tierChurnRows(users.values(), from, to), ctx),
    ],
    limit,
  )
}

export type { Lever, LeverContext, LeverKind } from './lever'
export type { UserConnections } from './paying-connections'
