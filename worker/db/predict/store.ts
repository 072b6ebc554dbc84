/**
 * The stored churn model and scores (migrations/0016): written in one D1 batch per training —
 * the site's scores replaced and the model row upserted together, so a reader sees the old
 * model with its scores or the new one with its own — and read by index seeks.
 */
import type { Budget } from '../../rollups'

export type ModelRow = {
  site_id: string
  trained_at: number
  status: 'ok' | 'insufficient_data'
  reason: string | null
  cut_day: string | null
  horizon_days: number | null
  n: number
  churners: number
  base_rate: number | null
  features: string | null
  scaler: string | null
  intercept: number | null
  coefficients: string | null
  metrics: string | null
  rules: string | null
  users_seen: number
  data_version: number
  scored: number
}

/** [uid, p, logit, engagement, tier, mrr, revenue_at_risk, top_factor, values, contributions] */
export type ScoreTuple = [
  string,
  number | null,
  number | null,
  number,
  string,
  number,
  number | null,
  string | null,
  number[] | null,
  number[] | null,
]

/** D1 holds a value of at most 2 MB: each chunk of score rows stays well under. */
const CHUNK_BYTES = 1_500_000

const INSERT_SCORES = `INSERT INTO churn_scores (site_id, uid, churn_probability, logit, engagement,
  tier, mrr, revenue_at_risk, top_factor, feature_values, contributions)
SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
  json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
  json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]'),
  json_extract(value, '$[9]')
FROM json_each(?2)`

const UPSERT_MODEL = `INSERT OR REPLACE INTO churn_models (site_id, trained_at, status, reason,
  cut_day, horizon_days, n, churners, base_rate, features, scaler, intercept, coefficients,
  metrics, rules, users_seen, data_version, scored)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`

const encoder = new TextEncoder()

/** Score rows as JSON arrays of at most CHUNK_BYTES, in the given order. */
export function scoreChunks(scores: ScoreTuple[]): string[] {
  const chunks: string[] = []
  let current: string[] = []
  let bytes = 2
  for (const s of scores) {
    const json = JSON.stringify(s)
    const size = /^[\x20-\x7e]*$/.test(json) ? json.length : encoder.encode(json).length
    if (current.length && bytes + size + 1 > CHUNK_BYTES) {
      chunks.push(`[${current.join(',')}]`)
      current = []
      bytes = 2
    }
    current.push(json)
    bytes += size + 1
  }
  if (current.length) chunks.push(`[${current.join(',')}]`)
  return chunks
}

/**
 * One batch: the site's old scores go, the new ones and the model row come. `scores` should
 * be in the order they matter (highest probability first): when the budget cannot take every
 * chunk, the last ones are left out and the model row's `scored` says how many were written.
 */
export async function saveModel(
  db: D1Database,
  model: Omit<ModelRow, 'scored'>,
  scores: ScoreTuple[],
  budget: Budget,
): Promise<number> {
  const chunks = scoreChunks(scores)
  const room = Math.max(0, budget.left - 2)
  const kept = chunks.slice(0, room)
  const scored = kept.reduce((n, c) => n + (JSON.parse(c) as unknown[]).length, 0)
  const m = { ...model, scored }
  const statements = [
    db.prepare('DELETE FROM churn_scores WHERE site_id = ?1').bind(m.site_id),
    ...kept.map((c) => db.prepare(INSERT_SCORES).bind(m.site_id, c)),
    db
      .prepare(UPSERT_MODEL)
      .bind(
        m.site_id,
        m.trained_at,
        m.status,
        m.reason,
        m.cut_day,
        m.horizon_days,
        m.n,
        m.churners,
        m.base_rate,
        m.features,
        m.scaler,
        m.intercept,
        m.coefficients,
        m.metrics,
        m.rules,
        m.users_seen,
        m.data_version,
        m.scored,
      ),
  ]
  budget.left -= statements.length
  await db.batch(statements)
  return scored
}

export const READ_MODEL_SQL = 'SELECT * FROM churn_models WHERE site_id = ?1'
export const READ_SCORE_SQL = 'SELECT * FROM churn_scores WHERE site_id = ?1 AND uid = ?2'

export function readModel(db: D1Database, siteId: string) {
  return db.prepare(READ_MODEL_SQL).bind(siteId).first<ModelRow>()
}

export type ScoreRow = {
  uid: string
  churn_probability: number | null
  logit: number | null
  engagement: number
  tier: string
  mrr: number
  revenue_at_risk: number | null
  top_factor: string | null
  feature_values: string | null
  contributions: string | null
}

export function readScore(db: D1Database, siteId: string, uid: string) {
  return db.prepare(READ_SCORE_SQL).bind(siteId, uid).first<ScoreRow>()
}

export type AtRiskQuery = {
  siteId: string
  tier?: string
  /** lo ≤ churn_probability < hi */
  lo: number
  hi: number
  limit: number
  /** The last row of the page before: (churn_probability, uid). */
  after: [number, string] | null
}

/**
 * One page by churn probability, highest first, then uid: a range of churn_scores_risk (or
 * churn_scores_tier_risk with a tier). One more row than asked says there is a next page.
 */
export async function atRiskPage(db: D1Database, q: AtRiskQuery): Promise<ScoreRow[]> {
  const { sql, params } = atRiskSql(q)
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<ScoreRow>()
  return results
}

/** The statement of atRiskPage and its parameters. */
export function atRiskSql(q: AtRiskQuery): { sql: string; params: (string | number)[] } {
  // A next page's index range starts at the last row's probability, not at the top of the
  // list (unless that is at or above `hi`: then every row of the range comes after it).
  const from = q.after && q.after[0] < q.hi ? q.after[0] : null
  const where = ['site_id = ?1', 'churn_probability >= ?2']
  where.push(from === null ? 'churn_probability < ?3' : 'churn_probability <= ?3')
  const params: (string | number)[] = [q.siteId, q.lo, from ?? q.hi]
  if (q.tier !== undefined) {
    params.push(q.tier)
    where.push(`tier = ?${params.length}`)
  }
  if (q.after) {
    params.push(q.after[1])
    where.push(`(churn_probability < ?3 OR uid > ?${params.length})`)
  }
  params.push(q.limit + 1)
  const sql = `SELECT * FROM churn_scores INDEXED BY ${q.tier === undefined ? 'churn_scores_risk' : 'churn_scores_tier_risk'}
       WHERE ${where.join(' AND ')}
       ORDER BY churn_probability DESC, uid
       LIMIT ?${params.length}`
  return { sql, params }
}
