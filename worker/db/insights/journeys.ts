/**
 * What the journey analysis reads (DESIGN §7.4), in two statements. Stage events of the period
 * come through a partial index of stage events that holds every column read (migrations/0021),
 * so a period is one index range with no table lookup per event, and SQLite groups them into one
 * row per (journey, user): the Worker receives users, not events; quiet users' last events come
 * along through (site_id, uid, ts). First conversions, likewise from their own partial index,
 * come one row per user, with the user's first event.
 */
import type { ConversionRow } from '../../analysis/journey-report'
import type { Stage, StageEvent } from '../../analysis/journeys'
import { resolvedUid } from '../aliases'

/** Stage events one request reads; when the period holds more the answer says `truncated: true`. */
export const MAX_STAGE_EVENTS = 200_000
/** (user, name) pairs of first conversions one request reads, likewise. */
export const MAX_CONVERSION_PAIRS = 100_000
/**
 * Stage events of one user whose trail is gathered. D1 refuses a string over 2 MB, and the trail
 * is one JSON string: at worst ~630 bytes an event (a 64-unit id and a 32-unit tier of control
 * characters, each escaped to 6 bytes), so 1,000 events stay under 0.7 MB. A real lifecycle has
 * a handful of stages; a user past this is flooding, and the answer says `truncated: true`.
 */
export const MAX_STAGE_EVENTS_PER_USER = 1_000
/**
 * Conversion names of one user gathered (their first 200 by time): a slug name and its time take
 * at most ~84 bytes of the JSON object, 17 KB in all; only the top 50 names are reported anyway.
 */
export const MAX_CONVERSIONS_PER_USER = 200

/**
 * The period's first ?7 stage events in (ts, id) order, per (journey, user); `seq` numbers them
 * so that the one more read (?7 + 1) only says there are more. The asked journey's (?8) users get
 * their first ?11 events (`kept`), as JSON `[[ts, id, stage, tier, device], …]` in no particular
 * order, and — when their last kept event is at or before ?9, so they may be inactive — their
 * last event of any type before ?10. `?4`: only users with a `feature` event of that feature in
 * the period (rollup_feature_days), ?5..?6 its days.
 */
export const STAGE_TRAILS = `SELECT journey, uid, count(*) AS read, count(*) FILTER (WHERE seq <= ?7) AS events,
  json_group_array(json_array(ts, id, stage, tier, device)) FILTER (WHERE kept) AS trail,
  CASE WHEN journey = ?8 AND max(ts) FILTER (WHERE kept) <= ?9 THEN
    (SELECT max(e.ts) FROM events e WHERE e.site_id = ?1 AND e.uid = stage_events.uid AND e.ts < ?10)
  END AS last_seen
FROM (
  SELECT *, journey = ?8 AND seq <= ?7
    AND row_number() OVER (PARTITION BY journey, uid ORDER BY ts, id) <= ?11 AS kept
  FROM (
    SELECT ts, id, ${resolvedUid('events')} AS uid, stage, coalesce(journey, 'lifecycle') AS journey,
      tier, device,
      row_number() OVER (ORDER BY ts, id) AS seq
    FROM events INDEXED BY events_stage_trail
    WHERE site_id = ?1 AND type = 'stage' AND ts >= ?2 AND ts < ?3 AND uid IS NOT NULL
      AND (?4 IS NULL OR uid IN (SELECT uid FROM rollup_feature_days
        WHERE site_id = ?1 AND feature = ?4 AND uses + starts > 0 AND day >= ?5 AND day < ?6))
    ORDER BY ts, id
    LIMIT ?7 + 1
  ) AS period_stages
) AS stage_events
GROUP BY journey, uid`

export type StageTrailsQuery = {
  siteId: string
  from: number
  to: number
  feature?: string
  /** YYYY-MM-DD bounds for the feature filter, `to` exclusive. */
  fromDay: string
  toDay: string
  journey: string
  /** Users whose last stage event is at or before this are looked up for later activity… */
  quietSince: number
  /** …up to (not including) this time. */
  asOf: number
}

type TrailRow = {
  journey: string
  uid: string
  /** Events read, with the one past the bound. */
  read: number
  /** Events up to the bound, whether kept or not. */
  events: number
  /** `[]` for the other journeys: only the asked one's kept events are gathered. */
  trail: string
  last_seen: number | null
}

export type StageTrails = {
  /** Journey types seen, sorted. */
  journeys: string[]
  /** The asked journey's users, each with their stage events in (ts, id) order. */
  trails: StageEvent[][]
  /** Quiet users' last event of any type before `asOf`. */
  lastSeen: Map<string, number>
  truncated: boolean
}

export async function stageTrails(
  db: D1Database,
  q: StageTrailsQuery,
  max = MAX_STAGE_EVENTS,
  perUser = MAX_STAGE_EVENTS_PER_USER,
): Promise<StageTrails> {
  const { results } = await db
    .prepare(STAGE_TRAILS)
    .bind(
      q.siteId,
      q.from,
      q.to,
      q.feature ?? null,
      q.fromDay,
      q.toDay,
      max,
      q.journey,
      q.quietSince,
      q.asOf,
      perUser,
    )
    .all<TrailRow>()
  const journeys = new Set<string>()
  const trails: StageEvent[][] = []
  const lastSeen = new Map<string, number>()
  let scanned = 0
  let capped = false
  for (const row of results) {
    scanned += row.read
    // a user whose only event is the one read past the bound
    if (row.events === 0) continue
    journeys.add(row.journey)
    if (row.journey === q.journey) {
      trails.push(trailEvents(row.uid, row.trail))
      capped ||= row.events > perUser
    }
    if (row.last_seen !== null) lastSeen.set(row.uid, row.last_seen)
  }
  return {
    journeys: [...journeys].sort(),
    trails,
    lastSeen,
    truncated: scanned > max || capped,
  }
}

type TrailEvent = [ts: number, id: string, stage: Stage, tier: string | null, device: string | null]

/** One user's events from their JSON trail, in the (ts, id) order SQLite read them in. */
function trailEvents(uid: string, trail: string): StageEvent[] {
  return (JSON.parse(trail) as TrailEvent[])
    .sort((a, b) => a[0] - b[0] || byCodePoint(a[1], b[1]))
    .map(([ts, , stage, tier, device]) => ({ uid, ts, stage, tier, device }))
}

/** SQLite orders TEXT by its UTF-8 bytes, that is by code point; JS's `<` by UTF-16 unit. */
function byCodePoint(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!
  }
  return x.length - y.length
}

/**
 * Per user: their first conversion of each name in the period, as JSON `{name: ts}`, and
 * their earliest stored event of any type — one index seek per user, not per (name, user).
 * The first ?4 (user, name) pairs in that order are read, and one more to tell there are more
 * (`seq`, numbered over the pairs read, in that order); of a user's pairs, the first ?5 by time are
 * `kept`.
 */
export const FIRST_CONVERSIONS = `SELECT uid, count(*) AS read, count(*) FILTER (WHERE seq <= ?4) AS names,
  json_group_object(name, first_ts) FILTER (WHERE kept) AS firsts,
  (SELECT min(f.ts) FROM events f WHERE f.site_id = ?1 AND f.uid = pairs.uid) AS first_seen
FROM (
  SELECT *, seq <= ?4
    AND row_number() OVER (PARTITION BY uid ORDER BY first_ts, name) <= ?5 AS kept
  FROM (
    SELECT *, row_number() OVER (ORDER BY uid, name) AS seq
    FROM (
      SELECT ${resolvedUid('events')} AS uid, name, min(ts) AS first_ts
      FROM events INDEXED BY events_conversion_first
      WHERE site_id = ?1 AND type = 'conversion' AND ts >= ?2 AND ts < ?3
        AND uid IS NOT NULL AND name IS NOT NULL
      GROUP BY uid, name
      ORDER BY uid, name
      LIMIT ?4 + 1
    ) AS user_names
  ) AS numbered
) AS pairs
GROUP BY uid`

type FirstConversionsRow = {
  uid: string
  read: number
  names: number
  firsts: string
  first_seen: number
}

export async function firstConversions(
  db: D1Database,
  siteId: string,
  from: number,
  to: number,
  max = MAX_CONVERSION_PAIRS,
  perUser = MAX_CONVERSIONS_PER_USER,
): Promise<{ rows: ConversionRow[]; truncated: boolean }> {
  const { results } = await db
    .prepare(FIRST_CONVERSIONS)
    .bind(siteId, from, to, max, perUser)
    .all<FirstConversionsRow>()
  const rows: ConversionRow[] = []
  let pairs = 0
  let capped = false
  for (const { uid, read, names, firsts, first_seen } of results) {
    pairs += read
    capped ||= names > perUser
    for (const [name, first_ts] of Object.entries(JSON.parse(firsts) as Record<string, number>))
      rows.push({ name, uid, first_ts, first_seen })
  }
  return { rows, truncated: pairs > max || capped }
}
