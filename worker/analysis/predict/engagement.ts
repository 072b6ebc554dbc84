/**
 * Engagement score 0–100 (DESIGN §7.10): over the user's last 30 days, recency (days since
 * their last active day, fewer is better), frequency (active days), breadth (distinct
 * features used) and depth (workflow completions), each as the user's mid-rank percentile
 * among the site's users (percentile-rank.ts), weighted and scaled to 0–100.
 *
 * Weights: recency .30, frequency .30, breadth .20, depth .20 — how recently and how often a
 * person comes back say most about whether they stay; what they do there refines it.
 */
import { percentileRanks } from './percentile-rank'

export type EngagementInput = {
  /** Days since the last active day, 0 = active on the reference day; 30+ = not in window. */
  days_since_active: number
  active_days: number
  features: number
  completions: number
}

export const ENGAGEMENT_WEIGHTS = { recency: 0.3, frequency: 0.3, breadth: 0.2, depth: 0.2 }

/** One score per input, in input order, rounded to one decimal. */
export function engagementScores(users: EngagementInput[]): number[] {
  const w = ENGAGEMENT_WEIGHTS
  const recency = percentileRanks(users.map((u) => -u.days_since_active))
  const frequency = percentileRanks(users.map((u) => u.active_days))
  const breadth = percentileRanks(users.map((u) => u.features))
  const depth = percentileRanks(users.map((u) => u.completions))
  return users.map((_, i) => {
    const s =
      w.recency * recency[i] +
      w.frequency * frequency[i] +
      w.breadth * breadth[i] +
      w.depth * depth[i]
    return Math.round(s * 1000) / 10
  })
}
