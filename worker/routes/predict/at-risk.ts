/**
 * `GET /v1/sites/:site/users/at-risk` (read key, DESIGN §7.10): users by churn probability,
 * highest first, with their revenue at risk (probability × current MRR, site currency) and the
 * factor that moves their prediction most; filters `tier` and `risk`, keyset pages by cursor.
 * Reads the scores the last training stored (one range of churn_scores_risk): with no model, or
 * an insufficient_data one, `users` is empty and `status` says why. Audited as a user-level
 * read (`users.at_risk`, DESIGN §8): the filters and how many users it listed, never their uids.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { topFactors } from '../../analysis/predict/factors'
import { auditStatement } from '../../db/audit'
import { atRiskPage, readModel } from '../../db/predict/store'
import { getConfig } from '../../db/sites'
import type { AppEnv } from '../../env'
import { encodeCursor, type CursorValue } from '../../lib/cursor'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { slug } from '../../schemas'
import { cursorOf } from '../compliance/query'
import { factorsOfScore, NO_MODEL, RISK_RANGE, RISKS, riskOf } from './view'

const isCursor = (v: CursorValue[]): v is [number, string] =>
  v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string'

export const AtRiskQuerySchema = z
  .object({
    tier: slug.optional(),
    risk: z.enum(RISKS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorOf(isCursor).optional(),
  })
  .strict()

const atRisk = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(AtRiskQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const siteId = c.req.param('site')!
    const [model, config] = await Promise.all([
      readModel(c.env.DB, siteId),
      getConfig(c.env.DB, siteId),
    ])
    const [lo, hi] = q.risk ? RISK_RANGE[q.risk] : [0, 2]
    const rows =
      model?.status === 'ok'
        ? await atRiskPage(c.env.DB, {
            siteId,
            tier: q.tier,
            lo,
            hi,
            limit: q.limit,
            after: q.cursor ?? null,
          })
        : []
    const page = rows.slice(0, q.limit)
    const last = page.at(-1)
    await auditStatement(c.env.DB, siteId, c.get('key').id, 'users.at_risk', {
      tier: q.tier ?? null,
      risk: q.risk ?? null,
      users: page.length,
    }).run()
    return c.json({
      status: model?.status ?? ('insufficient_data' as const),
      reason: model ? model.reason : NO_MODEL,
      trained_at: model ? new Date(model.trained_at).toISOString() : null,
      currency: config.currency,
      filters: { tier: q.tier ?? null, risk: q.risk ?? null },
      users: page.map((s) => {
        const top = topFactors(factorsOfScore(model, s), 1)[0] ?? null
        return {
          uid: s.uid,
          churn_probability: s.churn_probability,
          risk: riskOf(s.churn_probability),
          engagement: s.engagement,
          tier: s.tier,
          mrr: s.mrr,
          revenue_at_risk: s.revenue_at_risk,
          top_factor: top,
        }
      }),
      next_cursor:
        rows.length > q.limit && last ? encodeCursor([last.churn_probability!, last.uid]) : null,
    })
  },
)

export default atRisk
