/**
 * DESIGN §8: every hot query's plan uses an index (or a rollup's primary key) and never scans
 * `events` or a rollup table from end to end; the forecast's and the churn model's reads too.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { activitySql, FILTERED_ACTIVITY_SQL } from '../../../worker/db/insights/activity'
import { connectionsSql } from '../../../worker/db/insights/connections'
import { featureAccessSql } from '../../../worker/db/insights/feature-access'
import { FEATURE_REASONS_SQL } from '../../../worker/db/insights/feature-reasons'
import { featureStatsSql } from '../../../worker/db/insights/feature-stats'
import { LIVE_MINUTES_SQL, LIVE_TOTALS_SQL } from '../../../worker/db/insights/live'
import {
  histSql,
  PERF_REASONS_SQL,
  PERF_TOTALS_SQL,
  segmentsSql,
  seriesSql,
} from '../../../worker/db/insights/performance'
import { WINDOW_LATENCY_SQL, WINDOW_OUTCOMES_SQL } from '../../../worker/alerts/observe'
import {
  REBUILD_PERF_BUCKETS,
  REBUILD_PERF_DAYS,
  REBUILD_PERF_HOURS,
  REBUILD_PERF_REASONS,
  UPSERT_CONNECTION_USERS,
} from '../../../worker/rollups/perf'
import { STAGE_REACH_SQL } from '../../../worker/db/insights/stage-reach'
import { ROLLED_UP_RUNS_SQL, WORKFLOW_RUNS_SQL } from '../../../worker/db/insights/workflow-runs'
import { REBUILD_CONNECTION_DAYS } from '../../../worker/rollups/connection-days'
import { REBUILD_FEATURE_DAYS, REBUILD_FEATURE_REASONS } from '../../../worker/rollups/feature-days'
import { REBUILD_USER_DAYS } from '../../../worker/rollups/user-days'
import {
  FIRST_REVENUE_DAY_SQL,
  LATENCY_DAYS_SQL,
  OUTCOME_DAYS_SQL,
  REASON_DAYS_SQL,
} from '../../../worker/db/insights/forecast'
import { CARRIED_SQL, REVENUE_ROWS_SQL } from '../../../worker/db/insights/revenue'
import * as history from '../../../worker/db/predict/history'
import * as store from '../../../worker/db/predict/store'
import * as user from '../../../worker/db/predict/user'
import * as windows from '../../../worker/db/predict/windows'
import { DELETE_WORKFLOW_RUNS, REBUILD_WORKFLOW_RUNS } from '../../../worker/rollups/workflow-runs'

const days = ['s', '2026-01-01', '2026-01-31']
const TIERS = JSON.stringify([{ name: 'free', monthly_price: 0 }])
const QUERIES: [string, string, unknown[]][] = [
  ['workflow runs', WORKFLOW_RUNS_SQL, ['s', 0, 9, 0, 9, null, null, null, null, 10]],
  ['rolled-up workflow runs', ROLLED_UP_RUNS_SQL, [...days, 0, 9, null, null, null, 'x', 10]],
  ['stage reach', STAGE_REACH_SQL, ['s', 0, 9, null, null]],
  ['live totals', LIVE_TOTALS_SQL, ['s', 0, 9]],
  ['live minutes', LIVE_MINUTES_SQL, ['s', 0, 9]],
  ['feature stats', featureStatsSql(true), [...days, null, null, null, '2026-01-24', TIERS]],
  [
    'feature stats by day range',
    featureStatsSql(false),
    [...days, null, null, null, '2026-01-24', TIERS],
  ],
  ['feature access', featureAccessSql(true), [...days, null, null, null]],
  ['feature access by day range', featureAccessSql(false), [...days, null, null, null]],
  ['feature reasons', FEATURE_REASONS_SQL, [...days, null, null, null]],
  ['connections', connectionsSql(true), [...days, null, null]],
  ['connections by day range', connectionsSql(false), [...days, null, null]],
  ['activity', activitySql(true), [...days, null, null]],
  ['activity by day range', activitySql(false), [...days, null, null]],
  ['activity, filtered', FILTERED_ACTIVITY_SQL, [...days, 'free', null]],
  ['user days rebuild', REBUILD_USER_DAYS, ['s', 0, 9, '2026-01-01']],
  ['feature days rebuild', REBUILD_FEATURE_DAYS, ['s', 0, 9, '2026-01-01']],
  ['feature reasons rebuild', REBUILD_FEATURE_REASONS, ['s', 0, 9, '2026-01-01']],
  ['connection days rebuild', REBUILD_CONNECTION_DAYS, ['s', 0, 9, '2026-01-01']],
  ['workflow runs rebuild', REBUILD_WORKFLOW_RUNS, ['s', 0, 9, '2026-01-01']],
  ['workflow runs delete', DELETE_WORKFLOW_RUNS, ['s', '2026-01-01']],
  ['performance totals', PERF_TOTALS_SQL, [...days, null, null, null, null]],
  ['performance histograms', histSql(true), [...days, null, null, null, null]],
  ['performance histograms by day range', histSql(false), [...days, null, null, null, null]],
  ['performance reasons', PERF_REASONS_SQL, [...days, null, null, null, null]],
  ['performance hourly series', seriesSql('hours').counts, [...days, null, null, null, null]],
  ['performance hourly latency', seriesSql('hours').latency, [...days, null, null, null, null]],
  ['performance daily series', seriesSql('days').counts, [...days, null, null, null, null]],
  ['performance segments', segmentsSql(1, true), [...days, null, null, null, null, 0, 'free', 0]],
  [
    'performance segments by day range',
    segmentsSql(1, false),
    [...days, null, null, null, null, 0, 'free', 0],
  ],
  ['performance hours rebuild', REBUILD_PERF_HOURS, ['s', 0, 9, '2026-01-01']],
  ['performance days rebuild', REBUILD_PERF_DAYS, ['s', 0, 9, '2026-01-01']],
  ['performance buckets rebuild', REBUILD_PERF_BUCKETS, ['s', 0, 9, '2026-01-01']],
  ['performance reasons rebuild', REBUILD_PERF_REASONS, ['s', 0, 9, '2026-01-01']],
  ['connection users upsert', UPSERT_CONNECTION_USERS, ['s', 0, 9]],
  ['alert window outcomes', WINDOW_OUTCOMES_SQL, ['s', 0, 9]],
  ['alert window latency', WINDOW_LATENCY_SQL, ['s', 0, 9]],
  // The forecast (db/insights/forecast.ts): the revenue history, then each institution's days.
  ['forecast first revenue day', FIRST_REVENUE_DAY_SQL, days],
  ['forecast carried revenue state', CARRIED_SQL, ['s', '2026-01-01']],
  ['forecast revenue rows', REVENUE_ROWS_SQL, days],
  ['forecast outcome days', OUTCOME_DAYS_SQL, [...days, null]],
  ['forecast reason days', REASON_DAYS_SQL, [...days, null]],
  ['forecast latency days', LATENCY_DAYS_SQL, [...days, null]],
  // The churn model's training windows (db/predict/windows.ts).
  ['churn window activity', windows.ACTIVITY_SQL, [...days, '2026-01-16']],
  ['churn window features', windows.FEATURES_SQL, days],
  ['churn window runs', windows.RUNS_SQL, days],
  ['churn window connections', windows.CONNECTIONS_SQL, days],
  ['churn history subscriptions', history.SUBSCRIPTIONS_SQL, ['s', '2026-01-01']],
  ['churn history stages', history.CHURN_STAGES_SQL, ['s', 0]],
]

/**
 * A read of raw events must go through the (site_id, type, ts) index — or the stage events'
 * partial covering index in the same order (migrations/0021) — with a time bound (the
 * primary key alone, `site_id=?`, is every event the site ever sent); a rollup read must
 * bound the day on its primary key, or walk one site's rows of a covering index that holds
 * them in the statement's grouping order (migrations/0019, 0020, 0022): no table lookup and no
 * sort, the other days skipped at a fraction of a sort's cost a row.
 */
const BOUNDED_READ =
  /^SEARCH (events USING (COVERING )?INDEX (events_site_type_ts|events_stage_trail) \(.*ts[<>]|(rollup_\w+|workflow_runs) USING PRIMARY KEY \(site_id=\? AND day[<>=]|rollup_\w+ USING COVERING INDEX rollup_\w+ \(site_id=\?)/

async function plan(sql: string, params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>()
  return results.map((r) => r.detail)
}

describe('insight query plans', () => {
  for (const [name, sql, params] of QUERIES) {
    it(`${name} reads through an index and scans no table end to end`, async () => {
      const details = await plan(sql, params)
      const reads = details.filter((d) =>
        /\b(SCAN|SEARCH) (events|rollup_\w+|workflow_runs)\b/.test(d),
      )
      expect(reads.length).toBeGreaterThan(0)
      for (const read of reads) expect(read).toMatch(BOUNDED_READ)
    })
  }
})

const atRisk = { siteId: 's', lo: 0.5, hi: 2, limit: 50 }
const BY_SITE = /^SEARCH \w+ USING .*\((site_id|id)=\?/
const BY_USER = /^SEARCH \w+ USING .*\(site_id=\? AND uid=\?/
/**
 * Reads of the churn model's tables and of one user: each a seek on a primary key or an index,
 * by site — and by user for one user's rows, never a range of every user's days — and never a
 * scan. `user_first_seen` and the users' latest MRR are read whole for the site by design, once
 * per training.
 */
const PREDICT_READS: [string, RegExp, string, unknown[]][] = [
  ['churn site stats', BY_SITE, history.SITE_STATS_SQL, ['s']],
  ['churn history first seen', BY_SITE, history.FIRST_SEEN_SQL, ['s']],
  ['churn history MRR', BY_SITE, history.MRR_SQL, ['s']],
  ['model card', BY_SITE, store.READ_MODEL_SQL, ['s']],
  ['at-risk page', BY_SITE, ...sqlOf(store.atRiskSql({ ...atRisk, after: null }))],
  ['at-risk next page', BY_SITE, ...sqlOf(store.atRiskSql({ ...atRisk, after: [0.7, 'u'] }))],
  [
    'at-risk page of a tier',
    BY_SITE,
    ...sqlOf(store.atRiskSql({ ...atRisk, tier: 'plus', after: null })),
  ],
  ['user score', BY_USER, store.READ_SCORE_SQL, ['s', 'u']],
  ['user recent days', BY_USER, user.RECENT_SQL, ['s', 'u', '2026-01-01']],
  ['user features used', BY_USER, user.USED_SQL, ['s', 'u']],
  ['user known', BY_USER, user.KNOWN_SQL, ['s', 'u']],
]

function sqlOf(q: { sql: string; params: unknown[] }): [string, unknown[]] {
  return [q.sql, q.params]
}

describe('prediction query plans', () => {
  for (const [name, seek, sql, params] of PREDICT_READS) {
    it(`${name} seeks on a key or an index and scans no table`, async () => {
      const details = await plan(sql, params)
      const reads = details.filter((d) => /^(SCAN|SEARCH) /.test(d) && d !== 'SCAN CONSTANT ROW')
      expect(reads.length).toBeGreaterThan(0)
      for (const read of reads) expect(read).toMatch(seek)
    })
  }
})
