/**
 * The `/opportunities` answer around the ranked list: the top ones, the union total, the cost
 * assumptions behind every ROI. Top: at most TOP_MAX opportunities, in rank order, with
 * priority_score ≥ TOP_MIN_PRIORITY and confidence ≥ TOP_MIN_CONFIDENCE; the rest are still
 * listed (the dashboard groups them by kind).
 */
import type { SiteConfig } from '../../schemas'
import { unionTotal } from './attribution'
import type { Opportunity } from './rank'
import { costAssumptions } from './roi'

export const TOP_MAX = 5
export const TOP_MIN_PRIORITY = 10
export const TOP_MIN_CONFIDENCE = 0.5

export function topIds(list: Opportunity[]): Set<string> {
  const top = list.filter(
    (o) => o.priority_score >= TOP_MIN_PRIORITY && o.confidence >= TOP_MIN_CONFIDENCE,
  )
  return new Set(top.slice(0, TOP_MAX).map((o) => o.id))
}

/** `list`: every opportunity, ranked; the answer lists the first `limit`, the total covers all. */
export function opportunityAnswer(list: Opportunity[], config: SiteConfig, limit: number) {
  const top = topIds(list)
  return {
    total: unionTotal(list),
    cost_assumptions: costAssumptions(config),
    top_rule: {
      max: TOP_MAX,
      min_priority_score: TOP_MIN_PRIORITY,
      min_confidence: TOP_MIN_CONFIDENCE,
    },
    opportunities: list.slice(0, limit).map((o) => ({ ...o, top: top.has(o.id) })),
  }
}
