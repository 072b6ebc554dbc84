/**
 * DESIGN §8: the funnel, journey and retention queries and the first-seen upkeep go through an
 * index with a bound, and never scan `events` (or a rollup) from end to end. The rollup
 * rebuilds are in query-plans.test.ts.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { FUNNEL_EVENTS_PAGE } from '../../../worker/db/insights/funnel'
import { FIRST_CONVERSIONS, STAGE_TRAILS } from '../../../worker/db/insights/journeys'
import { RETENTION_PATTERNS } from '../../../worker/db/insights/retention'
import { PURGE_FIRST_SEEN } from '../../../worker/rollups/insights'
import { UPSERT_USER_FIRST_SEEN } from '../../../worker/rollups/user-days'

const list = JSON.stringify(['a', 'b'])
const QUERIES: [string, string, unknown[]][] = [
  [
    'funnel events page',
    FUNNEL_EVENTS_PAGE,
    ['s', 'page', 0, '', 9, 'free', null, list, list, list, list, list, list, 5000],
  ],
  [
    'stage trails',
    STAGE_TRAILS,
    ['s', 0, 9, 'f', '2026-01-01', '2026-02-01', 5000, 'lifecycle', 5, 9, 1000],
  ],
  ['first conversions', FIRST_CONVERSIONS, ['s', 0, 9, 10, 200]],
  [
    'retention patterns',
    RETENTION_PATTERNS,
    ['s', '2026-01-01', '2026-02-01', 7, 'free', 'mobile', 'f'],
  ],
  ['upsert user_first_seen', UPSERT_USER_FIRST_SEEN, ['s', '2026-01-01']],
  ['purge user_first_seen', PURGE_FIRST_SEEN, ['s', '2026-01-01']],
]

/** How each table may be read: raw events only through an index with a time or user bound. */
const ALLOWED_READS = [
  /^SEARCH \w+ USING (COVERING )?INDEX events_site_type_ts \(site_id=\? AND type=\? AND .*ts[<>]/,
  /^SEARCH \w+ USING (COVERING )?INDEX events_site_uid_ts \(site_id=\? AND uid=\?/,
  // the journeys' partial indexes of stage and conversion events (migrations/0021)
  /^SEARCH \w+ USING COVERING INDEX (events_stage_trail|events_conversion_first) \(site_id=\? AND type=\? AND ts[<>]/,
  // a user's days (rollup_user_days_activity, 0020) and a feature's users
  /^SEARCH \w+ USING (COVERING )?INDEX (rollup_user_days_activity|rollup_feature_days_uid) \(site_id=\? AND /,
  /^SEARCH \w+ USING (COVERING )?INDEX user_first_seen_day \(site_id=\? AND first_day[<>]/,
  /^SEARCH user_first_seen USING PRIMARY KEY \(site_id=\? AND uid=\?\)/, // one user's row
  // an event's anonymous id resolved to the uid it was linked to (db/aliases.ts)
  /^SEARCH a USING PRIMARY KEY \(site_id=\? AND anon_id=\?\)/,
  /^SEARCH \w+ USING PRIMARY KEY \(site_id=\? AND day[<>=]/,
  // the small derived sets: a bound JSON list, a CTE
  /^SCAN (j|json_each) VIRTUAL TABLE/,
  /^SCAN (patterns|members|cohort_users)\b/,
  // the journey queries' subqueries and their window sorts, each bounded by its LIMIT
  /^SCAN (period_stages|stage_events|user_names|numbered|pairs|\(subquery-\d+\))$/,
]

async function plan(sql: string, params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>()
  return results.map((r) => r.detail)
}

describe('funnel, journey and retention query plans', () => {
  for (const [name, sql, params] of QUERIES) {
    it(`${name} reads through an index and never scans events`, async () => {
      const reads = (await plan(sql, params)).filter((d) => /^(SCAN|SEARCH) /.test(d))
      expect(reads.length).toBeGreaterThan(0)
      for (const read of reads) {
        expect(read).not.toMatch(/^SCAN (events|rollup_\w+|user_first_seen)\b/)
        expect(
          ALLOWED_READS.some((r) => r.test(read)),
          read,
        ).toBe(true)
      }
    })
  }
})
