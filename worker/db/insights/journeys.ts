/**
 * What the journey analysis reads (DESIGN §7.4): stage events of the period through the
 * (site_id, type, ts) index in keyset pages, users' last events and first events through
 * (site_id, uid, ts), and first conversions per user.
 */
import type { ConversionRow } from '../../analysis/journey-report'
import type { StageEvent } from '../../analysis/journeys'

export type StageRow = StageEvent & { id: string; journey: string }

export const STAGE_PAGE_SIZE = 5_000
/** Stage events one request reads (40 pages); past it the answer says `truncated: true`. */
export const MAX_STAGE_EVENTS = 200_000
/** Users per last-seen lookup: one JSON parameter of at most ~0.7 MB. */
export const LAST_SEEN_CHUNK = 5_000
/** (name, user) pairs of first conversions one request reads. */
export const MAX_CONVERSION_ROWS = 100_000

/** `?5`: only users with a `feature` event of that feature in the period (rollup_feature_days). */
export const STAGE_EVENTS_PAGE = `SELECT id, ts, uid, stage, coalesce(journey, 'lifecycle') AS journey,
  tier, device
FROM events
WHERE site_id = ?1 AND type = 'stage' AND (ts, id) > (?2, ?3) AND ts < ?4 AND uid IS NOT NULL
  AND (?5 IS NULL OR uid IN (SELECT uid FROM rollup_feature_days
    WHERE site_id = ?1 AND feature = ?5 AND uses + starts > 0 AND day >= ?6 AND day < ?7))
ORDER BY ts, id
LIMIT ?8`

export type StageEventsQuery = {
  siteId: string
  from: number
  to: number
  feature?: string
  /** YYYY-MM-DD bounds for the feature filter, `to` exclusive. */
  fromDay: string
  toDay: string
}

/** Calls `onRow` for every stage event of the period in time order. */
export async function scanStageEvents(
  db: D1Database,
  q: StageEventsQuery,
  onRow: (row: StageRow) => void,
  limits = { page: STAGE_PAGE_SIZE, max: MAX_STAGE_EVENTS },
): Promise<{ scanned: number; truncated: boolean }> {
  let last: { ts: number; id: string } = { ts: q.from, id: '' } // ids are never empty
  let scanned = 0
  for (;;) {
    const { results } = await db
      .prepare(STAGE_EVENTS_PAGE)
      .bind(q.siteId, last.ts, last.id, q.to, q.feature ?? null, q.fromDay, q.toDay, limits.page)
      .all<StageRow>()
    for (const row of results) {
      if (scanned === limits.max) return { scanned, truncated: true }
      onRow(row)
      scanned++
    }
    if (results.length < limits.page) return { scanned, truncated: false }
    last = results[results.length - 1]
  }
}

/** `j.value`, not `value`: events has a column of that name too. */
export const LAST_SEEN = `SELECT j.value AS uid,
  (SELECT max(e.ts) FROM events e WHERE e.site_id = ?1 AND e.uid = j.value AND e.ts < ?2) AS last_ts
FROM json_each(?3) AS j`

/** Each user's last event (of any type) before `before`. */
export async function lastSeen(
  db: D1Database,
  siteId: string,
  uids: string[],
  before: number,
): Promise<Map<string, number>> {
  const chunks: string[][] = []
  for (let i = 0; i < uids.length; i += LAST_SEEN_CHUNK)
    chunks.push(uids.slice(i, i + LAST_SEEN_CHUNK))
  if (!chunks.length) return new Map()
  const results = await db.batch<{ uid: string; last_ts: number | null }>(
    chunks.map((c) => db.prepare(LAST_SEEN).bind(siteId, before, JSON.stringify(c))),
  )
  const seen = new Map<string, number>()
  for (const r of results.flatMap((r) => r.results))
    if (r.last_ts !== null) seen.set(r.uid, r.last_ts)
  return seen
}

/** First seen: the user's earliest stored event, one index seek per (name, user). */
export const FIRST_CONVERSIONS = `SELECT c.name, c.uid, min(c.ts) AS first_ts,
  (SELECT min(f.ts) FROM events f WHERE f.site_id = ?1 AND f.uid = c.uid) AS first_seen
FROM events c
WHERE c.site_id = ?1 AND c.type = 'conversion' AND c.ts >= ?2 AND c.ts < ?3
  AND c.uid IS NOT NULL AND c.name IS NOT NULL
GROUP BY c.name, c.uid
LIMIT ?4`

export async function firstConversions(
  db: D1Database,
  siteId: string,
  from: number,
  to: number,
): Promise<{ rows: ConversionRow[]; truncated: boolean }> {
  const { results } = await db
    .prepare(FIRST_CONVERSIONS)
    .bind(siteId, from, to, MAX_CONVERSION_ROWS + 1)
    .all<ConversionRow>()
  const truncated = results.length > MAX_CONVERSION_ROWS
  return { rows: truncated ? results.slice(0, MAX_CONVERSION_ROWS) : results, truncated }
}
