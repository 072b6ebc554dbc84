/**
 * The demo bank's world: tiers, features, institutions, and the site config that describes
 * them. The numbers here are the story's knobs; the README of the story is in generate.ts.
 */
import { SiteConfigSchema, type SiteConfig } from '../../worker/schemas'

export const DAY_MS = 86_400_000

export const TIERS = ['free', 'plus', 'premium'] as const
export type Tier = (typeof TIERS)[number]
export const PRICES: Record<Tier, number> = { free: 0, plus: 9.99, premium: 19.99 }

/** Features a user chooses to use; `account_linking` and `transaction_sync` come with a link. */
export type FeatureSpec = {
  /** Share of a tier's linked users who ever use it. */
  adoption: Record<Tier, number>
  /** Chance an adopter uses it in a given session. */
  perSession: number
  paths: string[]
  actions: string[]
  /** Median seconds spent per use. */
  seconds: number
  failRate: number
  /** Mean feedback rating. */
  rating: Record<Tier, number>
}

export const FEATURES: Record<string, FeatureSpec> = {
  balance_monitoring: {
    adoption: { free: 0.93, plus: 0.95, premium: 0.96 },
    perSession: 0.75,
    paths: ['/accounts', '/accounts/checking', '/accounts/savings'],
    actions: ['view_balance', 'view_account'],
    seconds: 22,
    failRate: 0.01,
    rating: { free: 4.1, plus: 4.2, premium: 4.3 },
  },
  spending_analysis: {
    adoption: { free: 0.42, plus: 0.66, premium: 0.74 },
    perSession: 0.3,
    paths: ['/insights/spending', '/insights/categories'],
    actions: ['view_report', 'filter_category'],
    seconds: 85,
    failRate: 0.02,
    rating: { free: 3.8, plus: 4.1, premium: 4.2 },
  },
  budget_tracking: {
    adoption: { free: 0.3, plus: 0.55, premium: 0.62 },
    perSession: 0.35,
    paths: ['/budgets', '/budgets/overview'],
    actions: ['view_budget', 'edit_limit'],
    seconds: 95,
    failRate: 0.02,
    rating: { free: 4.0, plus: 4.2, premium: 4.2 },
  },
  goal_setting: {
    adoption: { free: 0.18, plus: 0.34, premium: 0.44 },
    perSession: 0.15,
    paths: ['/goals', '/goals/new'],
    actions: ['view_goals', 'create_goal', 'contribute'],
    seconds: 65,
    failRate: 0.02,
    rating: { free: 3.9, plus: 4.0, premium: 4.1 },
  },
  bill_reminders: {
    adoption: { free: 0.34, plus: 0.48, premium: 0.52 },
    perSession: 0.2,
    paths: ['/bills', '/bills/upcoming'],
    actions: ['view_bills', 'set_reminder'],
    seconds: 40,
    failRate: 0.015,
    rating: { free: 4.0, plus: 4.0, premium: 4.1 },
  },
  // The upsell story: premium users live in it and love it; plus users barely find it, and
  // those who do — free or plus — upgrade far more (UPGRADE_FEATURE).
  investment_tracking: {
    adoption: { free: 0.12, plus: 0.13, premium: 0.74 },
    perSession: 0.5,
    paths: ['/investments', '/investments/portfolio', '/investments/performance'],
    actions: ['view_portfolio', 'view_performance', 'rebalance'],
    seconds: 150,
    failRate: 0.02,
    rating: { free: 3.9, plus: 4.3, premium: 4.7 },
  },
  credit_monitoring: {
    adoption: { free: 0.26, plus: 0.44, premium: 0.55 },
    perSession: 0.18,
    paths: ['/credit-score', '/credit-score/report'],
    actions: ['view_score', 'view_report'],
    seconds: 55,
    failRate: 0.07,
    rating: { free: 3.6, plus: 3.7, premium: 3.8 },
  },
  tax_optimization: {
    adoption: { free: 0.01, plus: 0.06, premium: 0.56 },
    perSession: 0.14,
    paths: ['/tax', '/tax/reports', '/tax/harvesting'],
    actions: ['view_estimate', 'export_report', 'harvest_losses'],
    seconds: 230,
    failRate: 0.03,
    rating: { free: 3.7, plus: 4.1, premium: 4.5 },
  },
}

/** Revenue a feature earns directly: one-off purchases made from inside it. */
export const FEATURE_PURCHASES: Record<string, { name: string; price: number; chance: number }> = {
  tax_optimization: { name: 'tax_report', price: 14.99, chance: 0.15 },
  credit_monitoring: { name: 'credit_report', price: 4.99, chance: 0.03 },
}

export type InstitutionSpec = {
  share: number
  success: number
  latencyMs: number
}

/**
 * Healthy banks succeed ≥ 97%; the unhealthy and the drifting one are modelled over time in
 * institutionHealth.
 */
export const INSTITUTIONS: Record<string, InstitutionSpec> = {
  first_example_bank: { share: 0.15, success: 0.991, latencyMs: 720 },
  northwind_credit_union: { share: 0.22, success: 0.83, latencyMs: 2500 },
  summit_trust: { share: 0.12, success: 0.988, latencyMs: 850 },
  pinecrest_savings: { share: 0.1, success: 0.987, latencyMs: 940 },
  harbor_national: { share: 0.14, success: 0.993, latencyMs: 650 },
  lakeside_federal_cu: { share: 0.08, success: 0.985, latencyMs: 1100 },
  meridian_bank: { share: 0.07, success: 0.989, latencyMs: 780 },
  bluegate_financial: { share: 0.05, success: 0.986, latencyMs: 1250 },
  redwood_community_bank: { share: 0.04, success: 0.988, latencyMs: 990 },
  atlas_direct: { share: 0.03, success: 0.994, latencyMs: 600 },
}
/**
 * Planted for the revenue views (DESIGN §7.9); test/node/demo-data.test.ts checks each:
 * - UNHEALTHY_INSTITUTION's failures hit paying users: a paying customer whose connections
 *   failed twice cancels at 4× the tier's rate (user-story.ts), mostly saying `sync_problems`,
 *   and about a fifth of the paying customers bank there;
 * - UPGRADE_FEATURE is the one feature whose users upgrade clearly more: free users who use it
 *   start a paid plan about 10× as often as those who do not, plus users move to premium 10×;
 * - CHURN_TIER's plans are cancelled clearly more often than premium's (PLAN_CHURN in
 *   subscription-history.ts: 9% against 2.5% a month).
 */
export const UNHEALTHY_INSTITUTION = 'northwind_credit_union'
export const UPGRADE_FEATURE = 'investment_tracking'
export const CHURN_TIER: Tier = 'plus'

/**
 * Planted for the forecast (DESIGN §7.10): a healthy bank slowly going wrong. Over the last
 * DRIFT_DAYS (the forecast's default trend window) its connection success slides from 99.3% to
 * DRIFT_TO: past warning, still above the 90% critical line at `now`, and its trend crosses
 * critical within the forecast's horizon, with an 80% interval inside it. Its share of the
 * links is large enough (≈ 130 attempts a day) for the daily noise not to hide the slope.
 */
export const DRIFTING_INSTITUTION = 'harbor_national'
export const DRIFT_DAYS = 28
export const DRIFT_TO = 0.925

/** 0 until the last `last` days of the window, then rising linearly to 1 at `now`. */
function rampIn(dayFrac: number, days: number, last: number): number {
  return Math.min(1, Math.max(0, (dayFrac * days - (days - last)) / last))
}

/** 0 until the last 8 days of the window, then rising linearly to 1 at `now`. */
export function unhealthyDecline(dayFrac: number, days: number): number {
  return rampIn(dayFrac, days, 8)
}

/**
 * Success chance and median latency of an institution at `dayFrac` (0 = window start, 1 = now).
 * The unhealthy one degrades over the last 8 days: from 83% down to 58%, latency up by half;
 * the drifting one slides over the last DRIFT_DAYS.
 */
export function institutionHealth(name: string, dayFrac: number, days: number) {
  const spec = INSTITUTIONS[name]
  if (name === DRIFTING_INSTITUTION) {
    const drift = rampIn(dayFrac, days, DRIFT_DAYS)
    return { success: spec.success - (spec.success - DRIFT_TO) * drift, latencyMs: spec.latencyMs }
  }
  if (name !== UNHEALTHY_INSTITUTION) return { success: spec.success, latencyMs: spec.latencyMs }
  const decline = unhealthyDecline(dayFrac, days)
  return { success: spec.success - 0.25 * decline, latencyMs: spec.latencyMs * (1 + 0.5 * decline) }
}

export const WORKFLOWS = [
  {
    name: 'account_linking',
    steps: ['start', 'connect', 'verify', 'complete'],
    type: 'integration',
  },
  {
    name: 'identity_verification',
    steps: ['start', 'document_upload', 'selfie', 'review', 'complete'],
    type: 'verification',
  },
  {
    name: 'plan_upgrade',
    steps: ['select_plan', 'payment_details', 'confirm', 'complete'],
    type: 'payment',
  },
  {
    name: 'onboarding',
    steps: ['welcome', 'profile', 'preferences', 'complete'],
    type: 'onboarding',
  },
  {
    name: 'budget_setup',
    steps: ['start', 'categories', 'limits', 'review', 'complete'],
    type: 'configuration',
  },
] as const
export type WorkflowName = (typeof WORKFLOWS)[number]['name']

export function demoConfig(): SiteConfig {
  return SiteConfigSchema.parse({
    allowed_origins: ['http://localhost:8787', 'http://127.0.0.1:8787'],
    tiers: TIERS.map((name) => ({ name, monthly_price: PRICES[name] })),
    workflows: WORKFLOWS.map((w) => ({
      name: w.name,
      steps: [...w.steps],
      dropoff_type: w.type,
      conversion_window_s: w.name === 'identity_verification' ? 3600 : 1800,
    })),
    thresholds: {
      connection_success_rate: { warning: 0.95, critical: 0.9, direction: 'below' },
      connection_latency_p95_ms: { warning: 3000, critical: 6000, direction: 'above' },
      error_rate: { warning: 0.02, critical: 0.05, direction: 'above' },
    },
    // Each bank on its own over six hours, so the degraded one fires on its own (DESIGN §9).
    alerts: [
      {
        id: 'bank_connection_success',
        metric: 'connection_success_rate',
        scope: { institution: '*' },
        use_thresholds: 'critical',
        window: '6h',
        pending_evaluations: 1,
      },
      {
        id: 'bank_latency_p95',
        metric: 'connection_latency_p95_ms',
        scope: { institution: '*' },
        use_thresholds: 'critical',
        window: '6h',
        pending_evaluations: 1,
      },
      {
        id: 'site_error_rate',
        metric: 'error_rate',
        use_thresholds: 'critical',
        window: '6h',
      },
    ],
    success_stage: 'feature_usage',
    currency: 'USD',
  })
}
