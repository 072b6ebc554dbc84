/**
 * Revenue levers (DESIGN §7.9): the three kinds, each from plain rows, ranked by monthly value.
 * The formulas are in each lever's file and in docs/formulas.md.
 */
import { units } from '../calendar'
import type { UserHistory } from '../timeline'
import type { FeatureConversion } from '../types'
import { featureUpsellLevers } from './feature-upsell'
import { institutionFailureLevers } from './institution-failures'
import { rankLevers, type Lever, type LeverContext } from './lever'
import { payingConnections, type UserConnections } from './paying-connections'
import { tierChurnLevers } from './tier-churn'
import { tierChurnRows } from './tier-churn-rows'

export type LeverInputs = {
  /** The period's first and last day, both included. */
  from: string
  to: string
  users: Map<string, UserHistory>
  /** Upgrade conversion of each feature's users against its non-users (conversion.ts). */
  conversions: FeatureConversion[]
  connections: UserConnections[]
}

/**
 * The mean MRR one start (a `new` or `reactivation` movement) brought in the period, in
 * currency units; null without any.
 */
export function mrrPerStart(users: Iterable<UserHistory>, from: string, to: string) {
  let cents = 0
  let starts = 0
  for (const h of users) {
    for (const c of h.changes) {
      if (c.day < from || c.day > to) continue
      if (c.movement !== 'new' && c.movement !== 'reactivation') continue
      cents += c.after - c.before
      starts++
    }
  }
  return starts > 0 ? units(cents) / starts : null
}

export function revenueLevers(input: LeverInputs, ctx: LeverContext, limit: number): Lever[] {
  const { from, to, users } = input
  const { institutions, clean } = payingConnections(input.connections, users, from, to)
  const mrrPerUpgrade = mrrPerStart(users.values(), from, to)
  return rankLevers(
    [
      ...featureUpsellLevers(input.conversions, { ...ctx, mrrPerUpgrade }),
      ...institutionFailureLevers(institutions, clean, ctx),
      ...tierChurnLevers(tierChurnRows(users.values(), from, to), ctx),
    ],
    limit,
  )
}

export type { Lever, LeverContext, LeverKind } from './lever'
export type { UserConnections } from './paying-connections'
