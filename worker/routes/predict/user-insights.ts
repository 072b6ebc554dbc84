/**
 * `GET /v1/sites/:site/users/:uid/insights` (read key, audited as a user-level read; DESIGN
 * §7.10, §8): the user's engagement 0–100, churn probability and risk, the three factors that
 * move it most as additive contributions (intercept + every factor = the logit; `baseline`,
 * `factors` and `other_contribution` add up to `logit`), three features to try next by co-usage
 * in their tier, and their recent days. A uid the site never saw is a 404.
 */
import { Hono } from 'hono'
import { addDays } from '../../analysis/predict/churn-dataset'
import { topFactors } from '../../analysis/predict/factors'
import { recommendFor } from '../../analysis/predict/recommendation-rules'
import { auditStatement } from '../../db/audit'
import { readModel, readScore } from '../../db/predict/store'
import { userActivity } from '../../db/predict/user'
import { getConfig } from '../../db/sites'
import type { AppEnv } from '../../env'
import { utcDay } from '../../ingest/store'
import { sha256Hex } from '../../lib/crypto'
import { ApiError, parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { UidSchema } from '../compliance/users'
import { factorsOfScore, NO_MODEL, riskOf, rulesOf } from './view'

/** The recent activity shown: the last 14 days with an event. */
export const RECENT_DAYS = 14

const insights = new Hono<AppEnv>().get('/:uid/insights', requireRole('read'), async (c) => {
  const siteId = c.req.param('site')!
  const uid = parse(UidSchema, c.req.param('uid'), 'path')
  const db = c.env.DB
  const [activity, model, score, config] = await Promise.all([
    userActivity(db, siteId, uid, addDays(utcDay(Date.now()), 1 - RECENT_DAYS)),
    readModel(db, siteId),
    readScore(db, siteId, uid),
    getConfig(db, siteId),
  ])
  if (!activity.known && !score) {
    throw new ApiError(404, 'not_found', 'No user with this uid on this site')
  }
  await auditStatement(db, siteId, c.get('key').id, 'user.insights', {
    uid_sha256: await sha256Hex(uid),
  }).run()
  const all = score ? factorsOfScore(model, score) : []
  const top = topFactors(all, 3)
  const p = score?.churn_probability ?? null
  const tier = score?.tier ?? null
  const intercept = p !== null && model?.status === 'ok' ? model.intercept : null
  const sum = (fs: { contribution: number }[]) => fs.reduce((a, f) => a + f.contribution, 0)
  return c.json({
    uid,
    status: model?.status ?? ('insufficient_data' as const),
    reason: model
      ? (model.reason ??
        (p === null ? 'not scored: not active within the horizon, or churned already' : null))
      : NO_MODEL,
    trained_at: model ? new Date(model.trained_at).toISOString() : null,
    currency: config.currency,
    tier,
    engagement: score?.engagement ?? null,
    churn_probability: p,
    risk: riskOf(p),
    logit: p === null ? null : score!.logit,
    baseline: intercept,
    factors: top,
    other_contribution: p === null ? null : sum(all) - sum(top),
    mrr: score?.mrr ?? null,
    revenue_at_risk: score?.revenue_at_risk ?? null,
    recommendations: tier ? recommendFor(rulesOf(model), tier, activity.used) : [],
    features_used: [...activity.used].sort(),
    recent_activity: activity.recent,
  })
})

export default insights
