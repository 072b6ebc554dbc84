/**
 * Revenue levers (DESIGN §7.9): the three kinds, each from plain rows, ranked by monthly value.
 * The formulas are in each lever's file and in docs/formulas.md.
 */
import { featureUpsellLevers, type FeatureConversion } from './feature-upsell'
import {
  institutionFailureLevers,
  type CleanBaseline,
  type InstitutionPaying,
} from './institution-failures'
import { rankLevers, type Lever, type LeverContext } from './lever'
import { tierChurnLevers, type TierChurn } from './tier-churn'

export type LeverInputs = {
  conversions: FeatureConversion[]
  mrrPerUpgrade: number | null
  institutions: InstitutionPaying[]
  clean: CleanBaseline
  tiers: TierChurn[]
}

export function revenueLevers(input: LeverInputs, ctx: LeverContext, limit: number): Lever[] {
  return rankLevers(
    [
      ...featureUpsellLevers(input.conversions, { ...ctx, mrrPerUpgrade: input.mrrPerUpgrade }),
      ...institutionFailureLevers(input.institutions, input.clean, ctx),
      ...tierChurnLevers(input.tiers, ctx),
    ],
    limit,
  )
}

export type { Lever, LeverContext } from './lever'
