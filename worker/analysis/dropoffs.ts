/**
 * Drop-off points (DESIGN §7.6), counted in users: a workflow step's `entered` are the users
 * whose decided runs reached it and its `dropped` those whose run ended there (failed or
 * abandoned) and who did not complete the workflow in another run in the period. A feature's
 * point (`feature_access`) holds the users who tried it, and those with a failed or abandoned
 * use and no completed one. Either way a dropped user gives one reason, that of their latest
 * drop (run ending at the step; failed or abandoned use), so the reasons sum to `dropped`.
 * `revenue_at_risk` prices each dropped user at their tier's monthly price.
 */
import type { FeatureAccessRow, FeatureDropReasonRow } from '../db/insights/feature-stats'
import type { DropoffType } from './dropoff-types'
import { increment } from './numbers'
import { reachedFlags, type Run } from './workflow-runs'
import type { WorkflowDef } from './workflows'

export type RawPoint = {
  id: string
  type: DropoffType
  workflow: string | null
  step: string | null
  feature: string | null
  entered: number
  dropped: number
  reasons: Map<string, number>
  revenue_at_risk: number
  /** Institutions of the dropped users' runs (workflow points only). */
  institutions: Map<string, number>
}
/** A workflow's distinct users, for the per-type totals. */
export type WorkflowUsers = {
  type: DropoffType
  entered: Set<string>
  /** Dropped user → the monthly price of their tier. */
  dropped: Map<string, number>
}

export type Prices = Map<string, number>

const userOf = (r: Run) => r.uid ?? `run:${r.run}`

const byStart = (a: Run, b: Run) => a.started_at - b.started_at

export function workflowDropoffs(def: WorkflowDef, runs: Run[], prices: Prices) {
  const decided = runs.filter((r) => r.outcome !== 'in_progress')
  const completedUsers = new Set(decided.filter((r) => r.outcome === 'completed').map(userOf))
  const users: WorkflowUsers = { type: def.dropoff_type, entered: new Set(), dropped: new Map() }
  const entered = def.steps.map(() => new Set<string>())
  const droppedRuns = def.steps.map(() => new Map<string, Run>())
  for (const run of decided.sort(byStart)) {
    const user = userOf(run)
    users.entered.add(user)
    const reached = reachedFlags(run, def.steps)
    for (let i = 0; i < reached.length; i++) if (reached[i]) entered[i].add(user)
    const at = run.drop_step === null ? -1 : def.steps.indexOf(run.drop_step)
    // The user's latest dropping run at the step stands for them (its tier and reason).
    if (at >= 0 && !completedUsers.has(user)) droppedRuns[at].set(user, run)
  }
  const points: RawPoint[] = def.steps.map((step, i) => {
    const reasons = new Map<string, number>()
    const institutions = new Map<string, number>()
    let revenue = 0
    for (const [user, run] of droppedRuns[i]) {
      increment(reasons, run.reason ?? 'unknown')
      if (run.institution) increment(institutions, run.institution)
      const price = prices.get(run.tier ?? '') ?? 0
      revenue += price
      users.dropped.set(user, price)
    }
    return {
      id: `workflow:${def.name}:${step}`,
      type: def.dropoff_type,
      workflow: def.name,
      step,
      feature: null,
      entered: entered[i].size,
      dropped: droppedRuns[i].size,
      reasons,
      revenue_at_risk: revenue,
      institutions,
    }
  })
  return { points: points.filter((p) => p.entered > 0), users }
}

export function featureDropoffs(
  access: FeatureAccessRow[],
  dropReasons: FeatureDropReasonRow[],
  prices: Prices,
): RawPoint[] {
  const points = new Map<string, RawPoint>()
  for (const row of access) {
    const p = points.get(row.feature) ?? {
      id: `feature:${row.feature}`,
      type: 'feature_access' as const,
      workflow: null,
      step: null,
      feature: row.feature,
      entered: 0,
      dropped: 0,
      reasons: new Map(),
      revenue_at_risk: 0,
      institutions: new Map(),
    }
    p.entered += row.entered
    p.dropped += row.dropped
    p.revenue_at_risk += row.dropped * (prices.get(row.tier) ?? 0)
    points.set(row.feature, p)
  }
  for (const r of dropReasons) {
    const p = points.get(r.feature)
    if (p) increment(p.reasons, r.reason, r.users)
  }
  return [...points.values()].filter((p) => p.entered > 0)
}
