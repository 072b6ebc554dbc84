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
