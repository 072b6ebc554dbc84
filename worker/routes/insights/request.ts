/** The common part of every insight route: the query's period and filters, and the site's config. */
import type { Context, TypedResponse } from 'hono'
import type { JSONParsed } from 'hono/utils/types'
import { z } from 'zod'
import { AnalysisQuerySchema, toRange, type AnalysisQuery } from '../../analysis/period'
import { rollupDays } from '../../analysis/rollup-days'
import {
  ANSWER_MAX_AGE_MS,
  MAX_ANSWER_BYTES,
  MAX_ANSWERS_PER_SITE,
  findAnswer,
  saveAnswerStatement,
} from '../../db/answers'
import { getConfigAndVersion } from '../../db/sites'
import type { AppEnv } from '../../env'
import { sha256Hex } from '../../lib/crypto'
import type { InsightRequest } from './load'

/** The common query plus `limit`, for routes that answer with a list. */
export function withLimit(fallback: number, max: number) {
  return AnalysisQuerySchema.and(
    z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) }),
  )
}

export function insightRequest(c: Context<AppEnv>, q: AnalysisQuery): Promise<InsightRequest> {
  return insightRequestFor(c.env.DB, c.req.param('site')!, q, Date.now())
}

export async function insightRequestFor(
  db: D1Database,
  siteId: string,
  q: AnalysisQuery,
  now: number,
): Promise<InsightRequest> {
  const { config, version } = await getConfigAndVersion(db, siteId)
  return {
    db,
    siteId,
    config,
    version,
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

/** The query of a route whose answers are stored: `refresh=1` recomputes (see storedAnswer). */
export function storedQuery<T extends z.ZodType>(schema: T) {
  return schema.and(z.object({ refresh: z.enum(['1', 'true', '0', 'false']).optional() }))
}

type StoredQuery = Record<string, unknown> & { refresh?: string }
type Compute<T = Record<string, unknown>> = () => Promise<T>
/** A stored answer as the client reads it: the computed one, and when it was computed. */
type Stored<T> = Response & TypedResponse<JSONParsed<T & { computed_at: string }>, 200, 'json'>

/**
 * For the heavy routes: the stored answer to the same question while it is good
 * (db/answers.ts), else `compute()`'s, which is kept for the next asker; `refresh=1` always
 * recomputes. `computed_at` in the answer says when it was computed.
 */
export async function storedAnswer<T extends Record<string, unknown>>(
  c: Context<AppEnv>,
  r: InsightRequest,
  q: StoredQuery,
  compute: Compute<T>,
): Promise<Stored<T>> {
  const headers = { 'content-type': 'application/json' }
  const key = await questionKey(c.req.path, q, r)
  const found = await findStored(r, key)
  if (found.body && q.refresh !== '1' && q.refresh !== 'true') {
    // The text `compute` gave for this question earlier (the key names route, query and format).
    return c.newResponse(found.body, 200, headers) as Stored<T>
  }
  const body = await computeAnswer(r, compute)
  await keep(r, key, found.kept, body)
  return c.newResponse(body, 200, headers) as Stored<T>
}

/**
 * Computes the answer to `path`'s question before anyone asks (cron, after a rebuild) when
 * someone has been looking at the site lately (it holds stored answers) and no good one is
 * stored.
 */
export async function prepareAnswer(
  path: string,
  r: InsightRequest,
  q: StoredQuery,
  compute: Compute,
) {
  const key = await questionKey(path, q, r)
  const found = await findStored(r, key)
  if (found.body || found.kept === 0 || found.kept >= MAX_ANSWERS_PER_SITE) return
  await keep(r, key, found.kept, await computeAnswer(r, compute))
}

/**
 * Which release's answers a key can find: raised when answers change their units or shape
 * (2: rates as fractions, migrations/0010; 3: opportunities with benchmark, overlaps, ROI and
 * a union total), so that an answer an older Worker stored while the new one was being
 * deployed is never served by it.
 */
const ANSWER_FORMAT = 3

/**
 * The route, the parsed query but `refresh`, the period by name and the days it covers:
 * `period=30d` asked twice in a day is one question.
 */
function questionKey(path: string, q: StoredQuery, r: InsightRequest): Promise<string> {
  const { period, from, to, refresh, ...rest } = q
  const named = from && to ? 'from-to' : (period ?? '30d')
  const question = [ANSWER_FORMAT, path, Object.entries(rest).sort(), named, rollupDays(r.range)]
  return sha256Hex(JSON.stringify(question))
}

async function findStored(r: InsightRequest, key: string) {
  if (r.version === null) return { body: null, kept: 0 }
  const computedAfter = r.now - ANSWER_MAX_AGE_MS
  return findAnswer(r.db, { siteId: r.siteId, key, version: r.version, computedAfter })
}

async function computeAnswer(r: InsightRequest, compute: Compute): Promise<string> {
  return JSON.stringify({ ...(await compute()), computed_at: new Date(r.now).toISOString() })
}

/** Under the version read with the config the answer was computed from. */
async function keep(r: InsightRequest, key: string, kept: number, body: string) {
  if (r.version === null || kept >= MAX_ANSWERS_PER_SITE) return
  if (new TextEncoder().encode(body).length > MAX_ANSWER_BYTES) return
  const answer = { siteId: r.siteId, key, version: r.version, computedAt: r.now, body }
  // Not keeping it costs only the next asker's time: the answer still goes out.
  await saveAnswerStatement(r.db, answer)
    .run()
    .catch((err) => console.error('insight answer not kept:', String(err)))
}
