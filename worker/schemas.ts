/**
 * The wire format, defined once (DESIGN §3, §5). The tracker and the dashboard import these
 * types with `import type`, so nothing here may be needed at run time by them.
 */
import { z } from 'zod'
import {
  DEFAULT_FEATURES,
  DEVICES,
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
const REQUIRED: Record<(typeof EVENT_TYPES)[number], string[]> = {
  page: ['path'],
  feature: ['feature'],
  step: ['workflow', 'run', 'step'],
  stage: ['stage'],
  conversion: ['name'],
  connection: ['institution', 'status'],
  metric: ['name', 'value'],
  feedback: ['feature', 'value'],
  revenue: ['value', 'currency'],
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
    for (const field of REQUIRED[e.type]) {
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
export type IngestResponse = { accepted: number; rejected: Rejection[] }

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
    warning: z.number(),
    critical: z.number(),
    direction: z.enum(['below', 'above']),
  })
  .strict()

const weight = z.number().min(0).max(100).optional()
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
  .regex(/^https?:\/\/[^/?#\s]+$/, 'must be an origin like https://app.bank.example (no path)')
  .transform((o) =>
    o.toLowerCase().replace(/^(https:\/\/[^/]+):443$|^(http:\/\/[^/]+):80$/, '$1$2'),
  )

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
    thresholds: z.record(z.string().max(64), ThresholdSchema).default({}),
    success_stage: z.enum(STAGES).default('feature_usage'),
    retention_days: z.number().int().min(1).max(3650).default(395),
    webhook_url: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
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
