/**
 * The wire format, defined once (DESIGN §3, §5). The tracker and the dashboard import these
 * types with `import type`, so nothing here may be needed at run time by them.
 */
import { z } from 'zod'
import {
  ALERT_METRICS,
  DEFAULT_FEATURES,
  DEVICES,
  ERROR_SOURCES,
  DROPOFF_TYPES,
  EVENT_TYPES,
  ROLES,
  STAGES,
  STATUSES,
} from './wire-lists'

export * from './wire-lists'

/** Machine-friendly names: letters, digits, `_ . : -`, starting with a letter or digit. */
export const slug = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be a slug: letters, digits, _ . : - (max 64)')

const propValue = z.union([z.string().max(256), z.number().finite(), z.boolean()])
const props = z
  .record(z.string().max(64), propValue)
  .refine((o) => Object.keys(o).length <= 20, 'at most 20 props')

/** Fields each type cannot do without; checked after the shape so messages name the field. */
export const REQUIRED_FIELDS: Record<(typeof EVENT_TYPES)[number], string[]> = {
  page: ['path'],
  feature: ['feature'],
  step: ['workflow', 'run', 'step'],
  stage: ['stage'],
  conversion: ['name'],
  connection: ['institution', 'status'],
  metric: ['name', 'value'],
  feedback: ['feature', 'value'],
  // name: one of REVENUE_NAMES, checked with its own code (ingest/revenue.ts).
  revenue: ['name', 'value', 'currency'],
  identify: ['uid'],
}

export const EventSchema = z
  .object({
    id: z.string().min(1).max(64),
    type: z.enum(EVENT_TYPES),
    ts: z.number().int().nonnegative(),
    uid: z.string().min(1).max(128).optional(),
    sid: z.string().min(1).max(64).optional(),
    tier: z.string().min(1).max(32).optional(),
    feature: slug.optional(),
    workflow: slug.optional(),
    run: z.string().min(1).max(64).optional(),
    step: slug.optional(),
    status: z.enum(STATUSES).optional(),
    reason: slug.optional(),
    stage: z.enum(STAGES).optional(),
    journey: slug.optional(),
    name: slug.optional(),
    value: z.number().finite().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional(),
    institution: slug.optional(),
    path: z.string().max(512).optional(),
    props: props.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    for (const field of REQUIRED_FIELDS[e.type]) {
      if (e[field as keyof typeof e] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${e.type} events need "${field}"` })
      }
    }
    if (e.type === 'feedback' && e.value !== undefined && (e.value < 1 || e.value > 5)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'feedback value is a rating 1–5' })
    }
  })
export type Event = z.infer<typeof EventSchema>
export type EventType = Event['type']

/** The envelope: validated as a whole (400 if wrong), its events one by one. */
export const BatchSchema = z.object({
  site: z.string().max(80).optional(),
  events: z.array(z.unknown()).min(1, 'send at least 1 event').max(100, 'at most 100 events'),
})

export type Rejection = { index: number; code: string; message: string }
/**
 * `accepted`: events this request stored, or (a page's batch, through the queue) handed to the
 * queue to store; `duplicates`: valid events not stored again because their id was stored before
 * from the same source, null when queued (docs/api.md, "What a 202 guarantees").
 */
export type IngestResponse = { accepted: number; duplicates: number | null; rejected: Rejection[] }

/** An event as stored: one column per wire field plus what the server derives (DESIGN §3). */
export type EventRow = Omit<Event, 'props'> & {
  site_id: string
  props?: string
  device?: (typeof DEVICES)[number]
  received_at: number
}

export const WorkflowConfigSchema = z
  .object({
    name: slug,
    steps: z.array(slug).min(1).max(20),
    dropoff_type: z.enum(DROPOFF_TYPES).optional(),
    conversion_window_s: z
      .number()
      .int()
      .min(60)
      .max(90 * 86400)
      .default(1800),
  })
  .strict()

const ThresholdSchema = z
  .object({
    warning: z.number().finite(),
    critical: z.number().finite(),
    direction: z.enum(['below', 'above']),
  })
  .strict()
  .refine(
    (t) => (t.direction === 'below' ? t.critical <= t.warning : t.critical >= t.warning),
    'critical must be past warning: lower for "below", higher for "above"',
  )

/** A metric's unit from its name (DESIGN §10): `_ms` milliseconds, else a rate 0–1. */
export function metricUnit(metric: string): 'ms' | 'rate' {
  return metric.endsWith('_ms') ? 'ms' : 'rate'
}

/** Whether `value` can be a threshold of `metric`: a rate within 0–1, a latency 0–10 min. */
export function thresholdFits(metric: string, value: number): boolean {
  return metricUnit(metric) === 'ms' ? value >= 0 && value <= 600_000 : value >= 0 && value <= 1
}

/** `5m`, `2h`, `1d`, as seconds; null if not of that form. */
export function durationSeconds(d: string): number | null {
  const m = /^(\d{1,4})([mhd])$/.exec(d)
  return m ? Number(m[1]) * { m: 60, h: 3600, d: 86_400 }[m[2] as 'm' | 'h' | 'd'] : null
}

function duration(min: string, max: string) {
  return z.string().refine((d) => {
    const s = durationSeconds(d)
    return s !== null && s >= durationSeconds(min)! && s <= durationSeconds(max)!
  }, `must be a duration from ${min} to ${max}, like 15m or 2h`)
}

/** `*`: the rule watches every institution (or feature) on its own, one state each. */
const scopeValue = z.union([z.literal('*'), slug])

/** An alert rule (DESIGN §9); `threshold` or `use_thresholds` (default: critical). */
export const AlertRuleSchema = z
  .object({
    id: slug,
    metric: z.enum(ALERT_METRICS),
    scope: z
      .object({ institution: scopeValue.optional(), feature: scopeValue.optional() })
      .strict()
      .default({}),
    condition: z.enum(['below', 'above']).optional(),
    threshold: z.number().finite().optional(),
    use_thresholds: z.enum(['warning', 'critical']).optional(),
    window: duration('5m', '24h').default('1h'),
    min_sample: z.number().int().min(1).max(1_000_000).optional(),
    pending_evaluations: z.number().int().min(1).max(60).default(2),
    repeat_every: duration('5m', '7d').default('4h'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.threshold !== undefined && r.use_thresholds !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'give either threshold or use_thresholds, not both',
      })
    }
    if (r.threshold !== undefined && !thresholdFits(r.metric, r.threshold)) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message:
          metricUnit(r.metric) === 'ms'
            ? `${r.metric} is in milliseconds: a threshold from 0 to 600000`
            : `${r.metric} is a rate: a threshold from 0 to 1 (0.9 is 90%)`,
      })
    }
  })
export type AlertRule = z.infer<typeof AlertRuleSchema>

/** A fraction, as the defaults are (DESIGN §10); only ratios between weights count. */
const weight = z
  .number()
  .min(0, 'a value weight is a fraction from 0 to 1 (0.25 is 25%)')
  .max(1, 'a value weight is a fraction from 0 to 1 (0.25 is 25%)')
  .optional()
const ValueWeightsSchema = z
  .object({ usage: weight, time: weight, revenue: weight, satisfaction: weight, retention: weight })
  .strict()
  .refine(
    (w) =>
      (['usage', 'time', 'revenue', 'satisfaction', 'retention'] as const).some((k) => w[k] !== 0),
    'at least one value weight must be above 0',
  )

/** Stored as browsers send it in `Origin`: lower case, without a default port. */
const origin = z
  .string()
  .max(300, 'an origin is at most 300 characters')
  .regex(/^https?:\/\/[^/?#\s]+$/, 'must be an origin like https://app.bank.example (no path)')
  .transform((o) =>
    o.toLowerCase().replace(/^(https:\/\/[^/]+):443$|^(http:\/\/[^/]+):80$/, '$1$2'),
  )

/** Engineer-weeks an effort level costs: a tenth of a week to ten years. */
const engineerWeeks = z
  .number()
  .min(0.1, 'an effort is at least 0.1 engineer-weeks')
  .max(520, 'an effort is at most 520 engineer-weeks')

export const SiteConfigSchema = z
  .object({
    allowed_origins: z.array(origin).max(50).default([]),
    features: z.array(slug).min(1).max(100).default(DEFAULT_FEATURES),
    tiers: z
      .array(
        z.object({ name: z.string().min(1).max(32), monthly_price: z.number().min(0) }).strict(),
      )
      .max(20)
      .default([
        { name: 'free', monthly_price: 0 },
        { name: 'plus', monthly_price: 9.99 },
        { name: 'premium', monthly_price: 19.99 },
      ]),
    workflows: z.array(WorkflowConfigSchema).max(50).default([]),
    thresholds: z
      .record(z.string().max(64), ThresholdSchema)
      .superRefine((o, ctx) => {
        for (const [metric, t] of Object.entries(o)) {
          if (!(ALERT_METRICS as readonly string[]).includes(metric)) {
            ctx.addIssue({
              code: 'custom',
              path: [metric],
              message: `no such metric; thresholds take ${ALERT_METRICS.join(', ')}`,
            })
          } else if (!thresholdFits(metric, t.warning) || !thresholdFits(metric, t.critical)) {
            ctx.addIssue({
              code: 'custom',
              path: [metric],
              message:
                metricUnit(metric) === 'ms'
                  ? 'a _ms threshold is milliseconds from 0 to 600000'
                  : 'a rate threshold is from 0 to 1 (0.95 is 95%)',
            })
          }
        }
      })
      .default({}),
    /** Below this many observations a rate is `insufficient_data` (DESIGN §7.8). */
    min_sample: z.number().int().min(1).max(1_000_000).default(30),
    /** Failure reason → error source, over the defaults (worker/analysis/performance). */
    error_sources: z
      .record(slug, z.enum(ERROR_SOURCES))
      .refine((o) => Object.keys(o).length <= 200, 'at most 200 error sources')
      .default({}),
    /** Alert rules (DESIGN §9); absent: the defaults from `thresholds`, [] none. */
    alerts: z
      .array(AlertRuleSchema)
      .max(50)
      .refine(
        (rules) => new Set(rules.map((r) => r.id)).size === rules.length,
        'alert rule ids must be unique',
      )
      .optional(),
    success_stage: z.enum(STAGES).default('feature_usage'),
    retention_days: z.number().int().min(1).max(3650).default(395),
    /** Audit rows are kept this long (DESIGN §10); never under a year (migrations/0011). */
    audit_retention_days: z.number().int().min(365).max(3650).default(2555),
    /** Checked further on save and on send: https to a public host (worker/alerts/url-guard). */
    webhook_url: z
      .url({ protocol: /^https?$/, error: 'must be an https:// URL' })
      .max(512)
      .nullable()
      .default(null),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    /** Value score weights (DESIGN §7.1); a component left out keeps its default weight. */
    value_weights: ValueWeightsSchema.optional(),
    /** Opportunity effort (DESIGN §7.7) by kind (`dropoff`, `upsell`, …) or opportunity id. */
    effort: z
      .record(z.string().max(64), z.enum(['low', 'medium', 'high']))
      .refine((o) => Object.keys(o).length <= 100, 'at most 100 effort entries')
      .optional(),
    /**
     * Engineer-weeks per effort level, for an opportunity's ROI (DESIGN §7.9); a level left out
     * keeps its default (low 1, medium 3, high 8; worker/analysis/opportunities/roi.ts).
     */
    effort_costs: z
      .object({ low: engineerWeeks, medium: engineerWeeks, high: engineerWeeks })
      .partial()
      .strict()
      .optional(),
    /** Price of one engineer-week in `currency`, for the ROI; default 4,000. */
    engineer_week_cost: z
      .number()
      .min(1, 'an engineer-week costs at least 1')
      .max(1_000_000, 'an engineer-week costs at most 1,000,000')
      .optional(),
  })
  .strict()
export type SiteConfig = z.infer<typeof SiteConfigSchema>

export const CreateSiteSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{2,39}$/, '3–40 lowercase letters, digits and dashes')
      .optional(),
    name: z.string().min(1).max(100),
    allowed_origins: z.array(origin).max(50).optional(),
  })
  .strict()

export const CreateKeySchema = z
  .object({ role: z.enum(ROLES), name: z.string().max(100).optional() })
  .strict()

export type ApiKeyInfo = {
  id: string
  role: (typeof ROLES)[number]
  name: string | null
  prefix: string
  created_at: string
  revoked_at: string | null
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } }
