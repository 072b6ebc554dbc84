/**
 * `POST /v1/sites/:site/funnel` (DESIGN §7.3): an ad-hoc funnel over raw events. The body
 * defines the funnel; the query string is the common one (period or from/to, tier, device).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import {
  FunnelCounter,
  WINDOW_PATTERN,
  funnelBreakdown,
  funnelSteps,
  scanSteps,
  windowMs,
} from '../../analysis/funnel'
import { AnalysisQuerySchema, toRange } from '../../analysis/period'
import { scanFunnelEvents } from '../../db/insights/funnel'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validJson, validQuery } from '../../middleware/valid'
import { EVENT_TYPES, STAGES, slug } from '../../schemas'

const MIN_WINDOW_MS = 5 * 60_000
const MAX_WINDOW_MS = 90 * 86_400_000

const FunnelStepSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    feature: slug.optional(),
    workflow: slug.optional(),
    step: slug.optional(),
    stage: z.enum(STAGES).optional(),
    name: slug.optional(),
    path: z.string().min(1).max(512).optional(),
  })
  .strict()

export const FunnelBodySchema = z
  .object({
    steps: z
      .array(FunnelStepSchema)
      .min(2, 'a funnel needs at least 2 steps')
      .max(10, 'a funnel has at most 10 steps'),
    window: z
      .string()
      .refine(
        (w) =>
          WINDOW_PATTERN.test(w) && windowMs(w) >= MIN_WINDOW_MS && windowMs(w) <= MAX_WINDOW_MS,
        'must be a window from 5m to 90d, like 30m, 12h or 14d',
      )
      .default('14d'),
    order: z.enum(['ordered', 'strict', 'any']).default('ordered'),
    by: z.enum(['user', 'session']).default('user'),
    breakdown: z.enum(['tier', 'device', 'institution']).optional(),
  })
  .strict()
export type FunnelBody = z.input<typeof FunnelBodySchema>

export const FunnelQuerySchema = AnalysisQuerySchema.refine(
  (q) => q.feature === undefined,
  'a funnel takes no feature filter: pin the feature on a step instead',
)

const funnel = new Hono<AppEnv>().post(
  '/',
  requireRole('read'),
  validQuery(FunnelQuerySchema),
  validJson(FunnelBodySchema),
  async (c) => {
    const q = c.req.valid('query')
    const body = c.req.valid('json')
    const range = toRange(q)
    const window = windowMs(body.window)
    const counter = new FunnelCounter(body.steps, {
      windowMs: window,
      order: body.order,
      by: body.by,
      breakdown: body.breakdown,
      startBefore: range.to,
    })
    const scan = await scanFunnelEvents(
      c.env.DB,
      {
        siteId: c.req.param('site')!,
        steps: scanSteps(body.steps, body.order),
        from: range.from,
        to: range.to + window, // attempts started in the period may finish after it
        tier: q.tier,
        device: q.device,
      },
      (e) => counter.add(e),
    )
    const outcomes = counter.outcomes()
    return c.json({
      range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
      window: body.window,
      order: body.order,
      by: body.by,
      steps: funnelSteps(body.steps, outcomes),
      breakdown: body.breakdown ? funnelBreakdown(body.breakdown, body.steps, outcomes) : null,
      events_scanned: scan.scanned,
      truncated: scan.truncated,
    })
  },
)

export default funnel
