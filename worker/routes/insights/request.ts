/** The common part of every insight route: the query's period and filters, and the site's config. */
import type { Context } from 'hono'
import { z } from 'zod'
import { AnalysisQuerySchema, toRange, type AnalysisQuery } from '../../analysis/period'
import { getConfig } from '../../db/sites'
import type { AppEnv } from '../../env'
import type { InsightRequest } from './load'

/** The common query plus `limit`, for routes that answer with a list. */
export function withLimit(fallback: number, max: number) {
  return AnalysisQuerySchema.and(
    z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) }),
  )
}

export async function insightRequest(
  c: Context<AppEnv>,
  q: AnalysisQuery,
): Promise<InsightRequest> {
  const siteId = c.req.param('site')!
  const now = Date.now()
  return {
    db: c.env.DB,
    siteId,
    config: await getConfig(c.env.DB, siteId),
    range: toRange(q, now),
    filters: { tier: q.tier, device: q.device, feature: q.feature },
    now,
  }
}

/** The period an answer covers, echoed so a reader knows what the numbers are about. */
export function periodOf(r: InsightRequest) {
  return {
    from: new Date(r.range.from).toISOString(),
    to: new Date(r.range.to).toISOString(),
    days: r.range.days,
  }
}
