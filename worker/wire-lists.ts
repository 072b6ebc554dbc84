/**
 * The wire format's fixed lists (DESIGN §3, §5, §7.6), kept free of zod so the dashboard can
 * import them at run time without pulling a validator into its bundle. worker/schemas.ts
 * builds its schemas from these.
 */
export const EVENT_TYPES = [
  'page',
  'feature',
  'step',
  'stage',
  'conversion',
  'connection',
  'metric',
  'feedback',
  'revenue',
  'identify',
] as const
/** Types a browser may send with the public key; `revenue` needs a secret ingest key. */
export const CLIENT_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'revenue')

/**
 * What a `revenue` event's `name` tells (DESIGN §7.9): a subscription's life, a refund, or a
 * one-off purchase. `tier` is the tier after the event; `props.interval` is a REVENUE_INTERVAL.
 */
export const REVENUE_NAMES = [
  'subscription_started',
  'subscription_renewed',
  'subscription_upgraded',
  'subscription_downgraded',
  'subscription_cancelled',
  'refund',
  'one_time',
] as const
/** A subscription's billing period; absent means `month` (a yearly plan's MRR is value / 12). */
export const REVENUE_INTERVALS = ['month', 'year'] as const

export const STATUSES = ['started', 'completed', 'failed', 'abandoned'] as const
export const STAGES = [
  'awareness',
  'consideration',
  'onboarding',
  'feature_discovery',
  'feature_usage',
  'advanced_usage',
  'advocacy',
  'churn',
] as const
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const
export const ROLES = ['ingest', 'read', 'admin'] as const
export const DROPOFF_TYPES = [
  'onboarding',
  'feature_access',
  'workflow_step',
  'payment',
  'verification',
  'configuration',
  'integration',
] as const

export const DEFAULT_FEATURES = [
  'account_linking',
  'transaction_sync',
  'balance_monitoring',
  'spending_analysis',
  'budget_tracking',
  'goal_setting',
  'bill_reminders',
  'investment_tracking',
  'credit_monitoring',
  'tax_optimization',
]

/** Where a failed connection's trouble lies (DESIGN §7.8); `unknown` for unmapped reasons. */
export const ERROR_SOURCES = ['user', 'institution', 'aggregator', 'app', 'unknown'] as const

/**
 * What an alert rule can watch (DESIGN §9), each a §7.8 number over the rule's window. The
 * names are also the keys of config `thresholds`; `_ms` is a latency in milliseconds, the
 * rest are rates 0–1.
 */
export const ALERT_METRICS = [
  'connection_success_rate',
  'success_rate_excl_user_errors',
  'connection_latency_p95_ms',
  'error_rate',
  'feature_success_rate',
] as const
export const ALERT_STATES = ['ok', 'pending', 'firing', 'resolved', 'no_data'] as const
/** Health of a number against its thresholds (DESIGN §7.8). */
export const HEALTH = ['ok', 'warning', 'critical', 'insufficient_data'] as const
