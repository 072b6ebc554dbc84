/**
 * Scoring drop-off points (DESIGN §7.6). impact_score = 100 · (0.4·drop_rate + 0.3·dropped /
 * most dropped + 0.3·revenue_at_risk / largest revenue_at_risk), over the site's points; with
 * no revenue at risk anywhere the revenue term drops out and the other two renormalise.
 * Priority: critical ≥ 60, high ≥ 40, medium ≥ 20, else low.
 */
import type { FeatureAccessRow, FeatureDropReasonRow } from '../db/insights/feature-stats'
import { DROPOFF_TYPES } from '../schemas'
import type { DropoffType } from './dropoff-types'
import {
  featureDropoffs,
  workflowDropoffs,
  type Prices,
  type RawPoint,
  type WorkflowUsers,
} from './dropoffs'
import { increment, ranked, rate, round } from './numbers'
import type { ReasonCount } from './workflow-steps'
import type { Run } from './workflow-runs'
import type { WorkflowDef } from './workflows'

export type Priority = 'critical' | 'high' | 'medium' | 'low'
export type DropoffPoint = {
  id: string
  type: DropoffType
  workflow: string | null
  step: string | null
  feature: string | null
  entered: number
  dropped: number
  drop_rate: number
  common_reasons: ReasonCount[]
  revenue_at_risk: number
  impact_score: number
  priority: Priority
  top_institutions: { institution: string; dropped: number; share: number }[]
}
/** `drop_rate` is null for a type nobody entered. */
export type DropoffTypeSummary = Omit<
  DropoffPoint,
  'id' | 'type' | 'workflow' | 'step' | 'feature' | 'top_institutions' | 'drop_rate'
> & { drop_rate: number | null; points: number }

const TOP = 5

export function priorityOf(score: number): Priority {
  return score >= 60 ? 'critical' : score >= 40 ? 'high' : score >= 20 ? 'medium' : 'low'
}

export function impactScores(
  points: { drop_rate: number; dropped: number; revenue_at_risk: number }[],
) {
  const maxDropped = Math.max(0, ...points.map((p) => p.dropped))
  const maxRevenue = Math.max(0, ...points.map((p) => p.revenue_at_risk))
  return points.map((p) => {
    const volume = maxDropped > 0 ? p.dropped / maxDropped : 0
    if (maxRevenue <= 0) return round((100 * (0.4 * p.drop_rate + 0.3 * volume)) / 0.7, 1)
    return round(
      100 * (0.4 * p.drop_rate + 0.3 * volume + (0.3 * p.revenue_at_risk) / maxRevenue),
      1,
    )
  })
}

export function scorePoints(raw: RawPoint[]): DropoffPoint[] {
  const rates = raw.map((p) => rate(p.dropped, p.entered) ?? 0)
  const scores = impactScores(raw.map((p, i) => ({ ...p, drop_rate: rates[i] })))
  return raw
    .map((p, i) => ({
      id: p.id,
      type: p.type,
      workflow: p.workflow,
      step: p.step,
      feature: p.feature,
      entered: p.entered,
      dropped: p.dropped,
      drop_rate: round(rates[i], 4),
      common_reasons: reasonList(p.reasons),
      revenue_at_risk: round(p.revenue_at_risk, 2),
      impact_score: scores[i],
      priority: priorityOf(scores[i]),
      top_institutions: ranked(p.institutions, 3).map(({ key, count, share }) => ({
        institution: key,
        dropped: count,
        share,
      })),
    }))
    .sort(
      (a, b) => b.impact_score - a.impact_score || b.dropped - a.dropped || (a.id < b.id ? -1 : 1),
    )
}

export function reasonList(reasons: Map<string, number>, limit = TOP): ReasonCount[] {
  return ranked(reasons, limit).map(({ key, count, share }) => ({ reason: key, count, share }))
}

/**
 * All seven types, each with its users (distinct over a type's workflows; for feature_access
 * the sum over features), its reasons merged, and the impact and priority of its worst point.
 */
export function typeSummaries(
  points: DropoffPoint[],
  raw: RawPoint[],
  workflows: WorkflowUsers[],
): Record<DropoffType, DropoffTypeSummary> {
  const out = {} as Record<DropoffType, DropoffTypeSummary>
  for (const type of DROPOFF_TYPES) {
    const mine = points.filter((p) => p.type === type)
    const reasons = new Map<string, number>()
    for (const p of raw.filter((r) => r.type === type)) {
      for (const [reason, n] of p.reasons) increment(reasons, reason, n)
    }
    let entered = 0
    let dropped = 0
    let revenue = 0
    if (type === 'feature_access') {
      for (const p of mine) {
        entered += p.entered
        dropped += p.dropped
        revenue += p.revenue_at_risk
      }
    } else {
      const users = new Set<string>()
      const lost = new Map<string, number>()
      for (const w of workflows.filter((w) => w.type === type)) {
        w.entered.forEach((u) => users.add(u))
        w.dropped.forEach((price, u) => lost.set(u, Math.max(price, lost.get(u) ?? 0)))
      }
      entered = users.size
      dropped = lost.size
      revenue = [...lost.values()].reduce((a, b) => a + b, 0)
    }
    const worst = mine[0]
    out[type] = {
      entered,
      dropped,
      drop_rate: round(rate(dropped, entered), 4),
      common_reasons: reasonList(reasons),
      revenue_at_risk: round(revenue, 2),
      impact_score: worst?.impact_score ?? 0,
      priority: worst?.priority ?? 'low',
      points: mine.filter((p) => p.dropped > 0).length,
    }
  }
  return out
}

/**
 * The drop-off answer: every workflow step and feature as a scored point, and the seven types.
 * A feature that is also a workflow (account_linking) is left to its workflow's steps, which
 * say where its users drop; its feature events would count the same people again.
 */
export function dropoffReport(
  workflows: { def: WorkflowDef; runs: Run[] }[],
  access: FeatureAccessRow[],
  dropReasons: FeatureDropReasonRow[],
  prices: Prices,
) {
  const perWorkflow = workflows.map(({ def, runs }) => workflowDropoffs(def, runs, prices))
  const isWorkflow = new Set(workflows.map((w) => w.def.name))
  const features = featureDropoffs(
    access.filter((a) => !isWorkflow.has(a.feature)),
    dropReasons,
    prices,
  )
  const raw = [...perWorkflow.flatMap((w) => w.points), ...features]
  const points = scorePoints(raw)
  return {
    points,
    types: typeSummaries(
      points,
      raw,
      perWorkflow.map((w) => w.users),
    ),
  }
}
