/**
 * ROI of an opportunity (DESIGN §7.9): revenue_per_month × 12 / effort cost, the effort cost
 * being the effort's engineer-weeks (site config `effort_costs`, defaults low 1, medium 3,
 * high 8) × the price of an engineer-week (config `engineer_week_cost`, in the site's currency;
 * default 4,000: a fully loaded engineer at about 200,000 a year over 50 working weeks). The
 * answer states the assumptions it used (`cost_assumptions`), so a reader can redo the sum.
 */
import { round } from '../numbers'
import type { SiteConfig } from '../../schemas'
import type { Effort } from './rank'

export const DEFAULT_EFFORT_WEEKS: Record<Effort, number> = { low: 1, medium: 3, high: 8 }
export const DEFAULT_ENGINEER_WEEK_COST = 4000

export type CostAssumptions = {
  currency: string
  /** Price of one engineer-week, in `currency`. */
  engineer_week_cost: number
  /** Engineer-weeks per effort level. */
  effort_costs: Record<Effort, number>
  /** Which of the two came from the site's config, which are the defaults. */
  from_config: { engineer_week_cost: boolean; effort_costs: Effort[] }
}

export const DEFAULT_COSTS: CostAssumptions = {
  currency: 'USD',
  engineer_week_cost: DEFAULT_ENGINEER_WEEK_COST,
  effort_costs: DEFAULT_EFFORT_WEEKS,
  from_config: { engineer_week_cost: false, effort_costs: [] },
}

export function costAssumptions(
  config: Pick<SiteConfig, 'currency' | 'effort_costs' | 'engineer_week_cost'>,
): CostAssumptions {
  const set = config.effort_costs ?? {}
  const given = (Object.keys(DEFAULT_EFFORT_WEEKS) as Effort[]).filter((e) => set[e] !== undefined)
  return {
    currency: config.currency,
    engineer_week_cost: config.engineer_week_cost ?? DEFAULT_ENGINEER_WEEK_COST,
    effort_costs: { ...DEFAULT_EFFORT_WEEKS, ...Object.fromEntries(given.map((e) => [e, set[e]])) },
    from_config: {
      engineer_week_cost: config.engineer_week_cost !== undefined,
      effort_costs: given,
    },
  }
}

export function effortCost(effort: Effort, costs: CostAssumptions) {
  const weeks = costs.effort_costs[effort]
  return { engineer_weeks: weeks, amount: round(weeks * costs.engineer_week_cost, 2) }
}

/** Twelve months of the revenue per month over the cost; 0 without revenue. */
export function roiOf(revenuePerMonth: number, cost: number): number {
  return cost > 0 ? round((revenuePerMonth * 12) / cost, 2) : 0
}
