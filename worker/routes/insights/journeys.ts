/**
 * `GET /v1/sites/:site/journeys` (DESIGN §7.4): stage reach and current distribution, stage
 * conversion, how far people got (the Sankey's flow, over the same people as the stages),
 * transitions, conversion points, drop-offs and success rate for one journey type.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import {
  conversionPoints,
  journeyDropoffs,
  stageFlow,
  stageTable,
  success,
  transitions,
} from '../../analysis/journey-report'
import { DEFAULT_JOURNEY, JourneyFold, filterJourneys } from '../../analysis/journeys'
import { AnalysisQuerySchema } from '../../analysis/period'
import { firstConversions, stageTrails } from '../../db/insights/journeys'
import type { AppEnv } from '../../env'
import { utcDay } from '../../ingest/store'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { slug } from '../../schemas'
import type { InsightRequest } from './load'
import { insightRequest, storedAnswer, storedQuery } from './request'

const DAY_MS = 86_400_000
/** Journey types listed for the picker. */
const MAX_JOURNEYS = 50

export const JourneysQuerySchema = storedQuery(
  AnalysisQuerySchema.safeExtend({
    journey: slug.default(DEFAULT_JOURNEY),
    inactive_days: z.coerce
      .number()
      .int('inactive_days is a whole number of days')
      .min(1)
      .max(365)
      .default(14),
  }),
)

const journeys = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(JourneysQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, () => journeyReport(r, q))
  },
)

async function journeyReport(r: InsightRequest, q: z.infer<typeof JourneysQuerySchema>) {
  const { db, siteId, range, config } = r
  // Inactivity is judged at the end of the period (or now, if that is earlier).
  const asOf = Math.min(range.to, r.now)
  const inactiveMs = q.inactive_days * DAY_MS
  const [stages, conversions] = await Promise.all([
    stageTrails(db, {
      siteId,
      from: range.from,
      to: range.to,
      feature: q.feature,
      fromDay: utcDay(range.from),
      toDay: utcDay(range.to - 1 + DAY_MS),
      journey: q.journey,
      quietSince: asOf - inactiveMs,
      asOf,
    }),
    firstConversions(db, siteId, range.from, range.to),
  ])
  const fold = new JourneyFold()
  for (const trail of stages.trails) for (const e of trail) fold.add(e)
  const users = filterJourneys(fold.users(), q)
  return {
    range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    journey: q.journey,
    journeys: stages.journeys.slice(0, MAX_JOURNEYS),
    success_stage: config.success_stage,
    inactive_days: q.inactive_days,
    ...success(users, config.success_stage),
    stages: stageTable(users),
    flow: stageFlow(users),
    transitions: transitions(users),
    conversion_points: conversionPoints(conversions.rows, users),
    dropoffs: journeyDropoffs(users, stages.lastSeen, asOf, inactiveMs),
    truncated: stages.truncated || conversions.truncated,
  }
}

export default journeys
