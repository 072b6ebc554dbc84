/**
 * `GET /v1/sites/:site/revenue/recommendations` (DESIGN §7.9): the revenue levers — a feature
 * whose free users upgrade more, an institution whose failures cost paying users, a tier whose
 * churn is above the rest — ranked by what each is worth a month, with the evidence and a
 * sentence a product lead can act on. Reads the revenue and connection rollups; the levers are
 * pure functions (analysis/revenue/recommendations). Each compares groups across the whole
 * site, so the `tier`, `device` and `feature` filters are refused rather than ignored.
 */
import { Hono } from 'hono'
import { daysBetween } from '../../analysis/revenue/calendar'
import { upgradeConversion } from '../../analysis/revenue/conversion'
import { revenueLevers } from '../../analysis/revenue/recommendations'
import { userHistories } from '../../analysis/revenue/timeline'
import { rollupDays } from '../../analysis/rollup-days'
import { payingUserConnections } from '../../db/insights/paying-connections'
import { revenueRows } from '../../db/insights/revenue'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import type { InsightRequest } from './load'
import { insightRequest, periodOf, storedAnswer, storedQuery, withLimit } from './request'

export const QuerySchema = storedQuery(
  withLimit(10, 50).refine(
    (q) => !q.tier && !q.device && !q.feature,
    'revenue levers compare tiers, features and institutions across the site: tier, device and feature filters do not apply',
  ),
)

export async function loadRevenueLevers(r: InsightRequest, limit: number) {
  const { from_day: from, to_day: to } = rollupDays(r.range)
  const [rows, connections] = await Promise.all([
    revenueRows(r.db, r.siteId, { windowFrom: from, from, to }),
    payingUserConnections(r.db, r.siteId, { from, to }),
  ])
  const users = userHistories(rows.carried, rows.rows)
  const active = new Set<string>()
  for (const set of rows.active.values()) for (const uid of set) active.add(uid)
  const conversion = upgradeConversion({ ...rows, users, active, from, to })
  const levers = revenueLevers(
    { from, to, users, conversions: conversion.features, connections },
    {
      currency: r.config.currency,
      days: daysBetween(from, to).length,
      minSample: r.config.min_sample,
    },
    limit,
  )
  return {
    period: periodOf(r),
    currency: r.config.currency,
    min_sample: r.config.min_sample,
    // No total: a customer lost to a failing bank may also be one of their tier's churners.
    levers,
  }
}

const recommendations = new Hono<AppEnv>().get(
  '/',
  requireRole('read'),
  validQuery(QuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const r = await insightRequest(c, q)
    return storedAnswer(c, r, q, () => loadRevenueLevers(r, q.limit))
  },
)

export default recommendations
