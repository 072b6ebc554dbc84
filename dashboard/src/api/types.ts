/**
 * The answers the dashboard reads, named. Every one is derived from the route that sends it
 * (`hc<AppType>`, api/client.ts): a route that changes what it answers changes these types,
 * and a view that reads a field the route no longer sends fails to compile. Nothing is
 * restated here.
 */
import type { InferRequestType, InferResponseType } from 'hono/client'
import type { Api, SiteApi } from './client'

/** The JSON a call answers with 200. */
type Ok<Call> = InferResponseType<Call, 200>

/** Which site and role a key has (`GET /v1/whoami`). */
export type Identity = Ok<Api['v1']['whoami']['$get']>

export type FunnelRequest = InferRequestType<SiteApi['funnel']['$post']>
export type FunnelResponse = Ok<SiteApi['funnel']['$post']>
export type FunnelStepResult = FunnelResponse['steps'][number]

export type JourneysResponse = Ok<SiteApi['journeys']['$get']>

/**
 * Cohorts' `rates` and `average` are fractions 0–1, null where there is no data (a cohort of
 * nobody, a period no complete cohort has reached).
 */
export type RetentionResponse = Ok<SiteApi['retention']['$get']>
export type RetentionCohort = RetentionResponse['cohorts'][number]

export type DropoffsResponse = Ok<SiteApi['dropoffs']['$get']>
export type DropoffPoint = DropoffsResponse['points'][number]
export type DropoffType = DropoffPoint['type']

export type FeatureValueResponse = Ok<SiteApi['features']['value']['$get']>
export type TierValue = FeatureValueResponse['tiers'][string]
export type FeatureValue = TierValue['features'][number]
export type ValueWeights = FeatureValueResponse['weights']

export type OpportunitiesResponse = Ok<SiteApi['opportunities']['$get']>
/** One opportunity, as the overview and the list both show it (the list adds `top`). */
export type Opportunity = DashboardResponse['top_opportunities'][number]

export type WorkflowsResponse = Ok<SiteApi['workflows']['$get']>
export type WorkflowSummary = WorkflowsResponse['workflows'][number]
export type WorkflowResponse = Ok<SiteApi['workflows'][':name']['$get']>
export type WorkflowReport = WorkflowResponse['workflow']
export type OutcomeCounts = WorkflowReport['breakdown']['tier'][string]

export type DashboardResponse = Ok<SiteApi['dashboard']['$get']>
export type LiveResponse = Ok<SiteApi['live']['$get']>

export type PerformanceResponse = Ok<SiteApi['performance']['$get']>
export type InstitutionHealth = PerformanceResponse['by_institution'][number]
export type FeatureHealth = PerformanceResponse['by_feature'][number]
export type Health = InstitutionHealth['status']
export type Threshold = PerformanceResponse['thresholds'][string]
export type SeriesPoint = PerformanceResponse['series'][number]
/** A rate with its sample, interval and health, as every §7.8 number carries it. */
export type RateStat = NonNullable<InstitutionHealth['feature_usage']>['success_rate']

export type AlertsResponse = Ok<SiteApi['alerts']['$get']>
export type AlertRuleState = AlertsResponse['rules'][number]
/** One scope a rule watches: `series` is '' for the whole site, else `institution=northwind`. */
export type AlertSeries = AlertRuleState['series'][number]
export type AlertState = AlertSeries['state']

/** Webhook deliveries, newest first, in pages. */
export type DeliveriesResponse = Ok<SiteApi['alerts']['deliveries']['$get']>
export type Delivery = DeliveriesResponse['deliveries'][number]
/** A test message or a redelivery, sent now. */
export type DeliveryResponse = Ok<SiteApi['alerts']['test']['$post']>

/** Amounts in the site currency, rates fractions 0–1, null where there is no data (§7.9). */
export type RevenueResponse = Ok<SiteApi['revenue']['$get']>
export type RevenueLeversResponse = Ok<SiteApi['revenue']['recommendations']['$get']>

/**
 * Predictions (§7.10). Without a trained model (`status: 'insufficient_data'`, with a
 * `reason`) every number that needs one is null and no user has a probability.
 */
export type ChurnModelCard = Ok<SiteApi['models']['churn']['$get']>
export type AtRiskResponse = Ok<SiteApi['users']['at-risk']['$get']>
export type AtRiskUser = AtRiskResponse['users'][number]
export type Risk = NonNullable<AtRiskUser['risk']>
/** coefficient × (value − mean) on the model's standardised scale, in log-odds. */
export type ChurnFactor = NonNullable<AtRiskUser['top_factor']>
export type UserInsightsResponse = Ok<SiteApi['users'][':uid']['insights']['$get']>
export type ForecastResponse = Ok<SiteApi['forecast']['$get']>
/** A daily series' history and forecast, or the reason there is none. */
export type SeriesForecast = ForecastResponse['revenue']
export type ForecastDay = Extract<SeriesForecast, { status: 'ok' }>['forecast'][number]
/** One threshold an institution's trend crosses within the horizon, soonest first. */
export type ThresholdHeading = ForecastResponse['heading_for_threshold'][number]
