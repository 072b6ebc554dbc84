/**
 * Ranking opportunities (DESIGN §7.7). Each detector proposes candidates with their evidence,
 * improvement potential and sample size; this turns them into scored opportunities:
 * - business_impact 0–100 = 100 · (0.6 · revenue_per_month / the largest + 0.4 · weighted
 *   users / the largest), over this answer's candidates (users only when no candidate has
 *   revenue). Users weigh by how directly they become kept customers: a user kept from
 *   dropping, failing or churning, or an upgrade, 1; a user moved one journey stage on, ½; a
 *   run spared a slow step, ¼;
 * - confidence = n / (n + 50), n the users or attempts behind the numbers;
 * - priority_score = business_impact · confidence · effort factor (low 1, medium 0.8, high 0.6).
 */
import { stableId } from '../stable-id'
import { round } from '../numbers'
import { attributeLosses, type Overlap } from './attribution'
import type { Benchmark } from './benchmark'
import { DEFAULT_COSTS, effortCost, roiOf, type CostAssumptions } from './roi'

export const OPPORTUNITY_KINDS = [
  'dropoff',
  'slow_step',
  'institution',
  'upsell',
  'low_success',
  'journey_leak',
] as const
export type OpportunityKind = (typeof OPPORTUNITY_KINDS)[number]
export const EFFORTS = ['low', 'medium', 'high'] as const
export type Effort = (typeof EFFORTS)[number]

export const DEFAULT_EFFORT: Record<OpportunityKind, Effort> = {
  dropoff: 'medium',
  slow_step: 'medium',
  institution: 'high',
  upsell: 'low',
  low_success: 'medium',
  journey_leak: 'high',
}
const EFFORT_FACTOR: Record<Effort, number> = { low: 1, medium: 0.8, high: 0.6 }
export const USER_WEIGHT: Record<OpportunityKind, number> = {
  dropoff: 1,
  slow_step: 0.25,
  institution: 1,
  upsell: 1,
  low_success: 1,
  journey_leak: 0.5,
}

export type Candidate = {
  kind: OpportunityKind
  /** What the opportunity is about, e.g. `account_linking:verify`; with kind, its identity. */
  subject: string
  title: string
  evidence: Record<string, unknown>
  users_per_month: number
  revenue_per_month: number
  /** Users or attempts behind the numbers, for the confidence. */
  n: number
  recommendation: string
  /** What the potential is measured against (./benchmark.ts for drop-offs). */
  benchmark?: Benchmark
  /** The lost users behind the potential, as far as they are known by id (./attribution.ts). */
  lost?: Lost
}

/** `total` lost users; `users`: those known by id → the monthly price of their tier. */
export type Lost = { total: number; users: Map<string, number> }

export type Opportunity = {
  id: string
  kind: OpportunityKind
  title: string
  evidence: Record<string, unknown>
  /**
   * Each lost user counted once (./attribution.ts): what is left after the users shared with a
   * more specific opportunity; `gross_*` before that.
   */
  improvement_potential: {
    users_per_month: number
    revenue_per_month: number
    gross_users_per_month: number
    gross_revenue_per_month: number
  }
  benchmark: Omit<Benchmark, 'observed'> | null
  /** Other opportunities sharing this one's lost users: share = shared / this one's. */
  overlaps: { id: string; rank: number; share: number }[]
  effort: Effort
  /** What the effort costs under `cost_assumptions`: engineer-weeks and their price. */
  cost: { engineer_weeks: number; amount: number }
  /** revenue_per_month × 12 / cost.amount (DESIGN §7.9); 0 when there is no revenue. */
  roi: number
  business_impact: number
  confidence: number
  priority_score: number
  recommendation: string
}

/** `overrides` (config `effort`) may name an opportunity id or a kind; the id wins. */
export function rankOpportunities(
  all: Candidate[],
  overrides: Record<string, Effort> = {},
  costs: CostAssumptions = DEFAULT_COSTS,
): Opportunity[] {
  const { candidates, gross, overlaps } = attributeLosses(all)
  const maxRevenue = Math.max(0, ...candidates.map((c) => c.revenue_per_month))
  const weighted = (c: Candidate) => c.users_per_month * USER_WEIGHT[c.kind]
  const maxUsers = Math.max(0, ...candidates.map(weighted))
  const ids = candidates.map((c) => stableId('op', `${c.kind}:${c.subject}`))
  const ranked = candidates
    .map((c, i): Opportunity => {
      const id = ids[i]
      const effort = overrides[id] ?? overrides[c.kind] ?? DEFAULT_EFFORT[c.kind]
      const cost = effortCost(effort, costs)
      const users = maxUsers > 0 ? weighted(c) / maxUsers : 0
      const impact = maxRevenue > 0 ? 0.6 * (c.revenue_per_month / maxRevenue) + 0.4 * users : users
      const confidence = c.n / (c.n + 50)
      return {
        id,
        kind: c.kind,
        title: c.title,
        evidence: c.evidence,
        improvement_potential: {
          users_per_month: round(c.users_per_month, 1),
          revenue_per_month: round(c.revenue_per_month, 2),
          gross_users_per_month: round(gross[i].users_per_month, 1),
          gross_revenue_per_month: round(gross[i].revenue_per_month, 2),
        },
        benchmark: c.benchmark
          ? { rate: c.benchmark.rate, source: c.benchmark.source, n: c.benchmark.n }
          : null,
        overlaps: [],
        effort,
        cost,
        roi: roiOf(c.revenue_per_month, cost.amount),
        business_impact: round(100 * impact, 1),
        confidence: round(confidence, 3),
        priority_score: round(100 * impact * confidence * EFFORT_FACTOR[effort], 1),
        recommendation: c.recommendation,
      }
    })
    .sort((a, b) => b.priority_score - a.priority_score || (a.id < b.id ? -1 : 1))
  // Overlaps name the other opportunity by its id and its place in this ranking (1 = first).
  const rankOf = new Map(ranked.map((o, i) => [o.id, i + 1]))
  const overlapsOf = new Map(ids.map((id, i) => [id, overlaps[i]]))
  for (const o of ranked) {
    o.overlaps = overlapsOf.get(o.id)!.map((x: Overlap) => ({
      id: ids[x.index],
      rank: rankOf.get(ids[x.index])!,
      share: x.share,
    }))
  }
  return ranked
}

/** 0.625 → "62.5%". */
export function pct(x: number): string {
  return `${round(100 * x, 1)}%`
}
