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
import type { loadPerformance } from '../../../worker/routes/insights/performance'
import type { Metrics } from '../../../worker/analysis/performance/report'
import type { RateStat } from '../../../worker/analysis/performance/rates'
import type { SeriesPoint } from '../../../worker/analysis/performance/series'
import type { Health, Threshold } from '../../../worker/analysis/thresholds'
import type { ALERT_STATES } from '../../../worker/wire-lists'

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

/**
 * worker/routes/insights/retention.ts; cohorts' `rates` and `average` are fractions 0–1, null
 * where there is no data (a cohort of nobody, a period no complete cohort has reached).
 */
export type RetentionResponse = {
  range: Range
  interval: 'day' | 'week'
  mode: 'on' | 'on_or_after'
  feature: string | null
  cohorts: RetentionCohort[]
  average: (number | null)[]
  partial_last_period: boolean
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

export type { Health, Metrics, RateStat, SeriesPoint, Threshold }

/** worker/routes/insights/performance.ts, as `loadPerformance` returns it. */
export type PerformanceResponse = Stored & Awaited<ReturnType<typeof loadPerformance>>
export type InstitutionHealth = PerformanceResponse['by_institution'][number]
export type FeatureHealth = PerformanceResponse['by_feature'][number]

export type AlertState = (typeof ALERT_STATES)[number]
type AlertScope = { institution?: string; feature?: string }

/** One scope a rule watches: `series` is '' for the whole site, else `institution=northwind`. */
export type AlertSeries = {
  series: string
  scope: AlertScope
  state: AlertState
  since: string
  value: number | null
  n: number
  interval: [number, number] | null
  threshold: number
  evaluated_at: string
}

export type AlertRuleState = {
  id: string
  metric: string
  scope: AlertScope
  condition: 'below' | 'above'
  /** The effective threshold: the rule's own, or the one `use_thresholds` names. */
  threshold: number
  use_thresholds: 'warning' | 'critical' | null
  window: string
  min_sample: number
  pending_evaluations: number
  repeat_every: string
  default: boolean
  snoozed_until: string | null
  series: AlertSeries[]
}

/** `GET /v1/sites/:site/alerts` (DESIGN §9), written from the route's contract. */
export type AlertsResponse = {
  webhook: {
    url: string | null
    enabled: boolean
    disabled_at: string | null
    disabled_reason: string | null
    has_secret: boolean
  }
  evaluated_at: string | null
  rules: AlertRuleState[]
}

export type DeliveryAttempt = {
  attempt: number
  started_at: string
  url: string
  status_code: number | null
  error: string | null
  duration_ms: number | null
}

export type Delivery = {
  id: string
  type: 'alert.firing' | 'alert.resolved' | 'test'
  rule_id: string | null
  series: string | null
  created_at: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: string | null
  attempts_log: DeliveryAttempt[]
}

/** `GET /v1/sites/:site/alerts/deliveries`, newest first, in pages. */
export type DeliveriesResponse = { deliveries: Delivery[]; next_cursor: string | null }

/** `POST .../alerts/test` and `POST .../alerts/deliveries/:id/redeliver`. */
export type DeliveryResponse = { delivery: Delivery }
