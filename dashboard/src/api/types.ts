/**
 * Response types of the insights endpoints, built from the worker's analysis types so the
 * dashboard breaks at compile time when an answer changes shape (DESIGN §1). The routes do not
 * export their envelopes, so those are written out here from the route files.
 */
import type { FunnelBreakdown, FunnelStepResult } from '../../../worker/analysis/funnel'
import type {
  ConversionPoint,
  JourneyDropoff,
  JourneyStageResult,
  JourneyTransition,
} from '../../../worker/analysis/journey-report'
import type { RetentionCohort } from '../../../worker/analysis/retention'
import type { DropoffPoint, DropoffTypeSummary } from '../../../worker/analysis/dropoff-impact'
import type { DropoffType } from '../../../worker/analysis/dropoff-types'
import type { FeatureValue, TierValue } from '../../../worker/analysis/feature-value'
import type { Opportunity } from '../../../worker/analysis/opportunities/rank'
import type { ValueWeights } from '../../../worker/analysis/value-score'
import type {
  OutcomeCounts,
  WorkflowReport,
  WorkflowSummary,
} from '../../../worker/analysis/workflows'
import type { ActivityRow } from '../../../worker/db/insights/activity'
import type { LiveTotals } from '../../../worker/db/insights/live'

export type { FunnelBreakdown, FunnelStepResult }

/** worker/routes/insights/funnel.ts */
export type FunnelResponse = {
  range: { from: string; to: string }
  window: string
  order: string
  by: string
  steps: FunnelStepResult[]
  breakdown: FunnelBreakdown | null
  events_scanned: number
  truncated: boolean
}

export type { ConversionPoint, JourneyDropoff, JourneyStageResult, JourneyTransition }
export type { RetentionCohort }

type Range = { from: string; to: string }

/** worker/routes/insights/journeys.ts */
export type JourneysResponse = Stored & {
  range: Range
  journey: string
  journeys: string[]
  success_stage: string
  inactive_days: number
  entered: number
  succeeded: number
  success_rate: number
  stages: JourneyStageResult[]
  transitions: JourneyTransition[]
  conversion_points: ConversionPoint[]
  dropoffs: JourneyDropoff[]
  truncated: boolean
}

/** worker/routes/insights/retention.ts; `percentages` and `average` are percents (0–100). */
export type RetentionResponse = {
  range: Range
  interval: 'day' | 'week'
  mode: 'on' | 'on_or_after'
  feature: string | null
  cohorts: RetentionCohort[]
  average: number[]
}

export type { DropoffPoint, DropoffType, DropoffTypeSummary, FeatureValue, TierValue }
export type { Opportunity, OutcomeCounts, ValueWeights, WorkflowReport, WorkflowSummary }

/** The period an insight answer covers (worker/routes/insights/request.ts `periodOf`). */
type Period = { from: string; to: string; days: number }
/** When a stored answer was computed (worker/routes/insights/request.ts `storedAnswer`). */
type Stored = { computed_at: string }

/** worker/routes/insights/feature-value.ts */
export type FeatureValueResponse = Stored & {
  period: Period
  weights: ValueWeights
  tiers: Record<string, TierValue>
}

/** worker/routes/insights/workflows.ts, the list */
export type WorkflowsResponse = { period: Period; truncated: boolean; workflows: WorkflowSummary[] }

/** worker/routes/insights/workflows.ts, one workflow */
export type WorkflowResponse = { period: Period; truncated: boolean; workflow: WorkflowReport }

/** worker/routes/insights/dropoffs.ts */
export type DropoffsResponse = Stored & {
  period: Period
  truncated: boolean
  types: Record<DropoffType, DropoffTypeSummary>
  points: DropoffPoint[]
}

/** worker/routes/insights/opportunities.ts */
export type OpportunitiesResponse = Stored & {
  period: Period
  truncated: boolean
  opportunities: Opportunity[]
}

/** worker/routes/insights/dashboard.ts */
export type DashboardResponse = Stored & {
  period: Period
  truncated: boolean
  kpis: {
    active_users: number
    sessions: number
    events: number
    revenue: number
    workflow_completion_rate: number | null
    connection_success_rate: number | null
  }
  series: ActivityRow[]
  top_opportunities: Opportunity[]
  worst_dropoffs: DropoffPoint[]
  workflows: ({ name: string } & OutcomeCounts)[]
}

/** worker/routes/insights/live.ts */
export type LiveResponse = LiveTotals & {
  window_s: number
  from: string
  to: string
  by_type: Record<string, number>
  per_minute: { start: string; events: number }[]
}
