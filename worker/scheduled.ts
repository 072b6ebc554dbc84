/**
 * Cron work (DESIGN §2), every minute: store what the ingest outbox holds that the queue never
 * delivered (ingest/outbox.ts), rebuild dirty rollup days, evaluate alert rules and send
 * the webhooks they made, the retention purge (events older than each site's `retention_days`,
 * in bounded slices, and the rollup days that hold them; audit rows past
 * `audit_retention_days`), preparing overviews, training one site's churn model, and expiring
 * stored answers, dead letters and old deliveries. Each job has a share of the queries one
 * invocation may run, so a run stays far inside D1's limit. Every shard (db/shards.ts) runs
 * the jobs against its own rows, with its part of each share (docs/scaling.md).
 */
import { deliverDue, senderOf } from './alerts/deliver'
import { evaluateAlerts } from './alerts/run'
import { bumpDataVersionStatement, expireAnswersStatement } from './db/answers'
import { purgeAuditLog } from './db/audit'
import { expireDeliveriesStatements } from './db/webhooks'
import type { Env } from './env'
import { drainOutbox } from './ingest/outbox'
import { utcDay } from './ingest/store'
import { rebuildDirtyDays, type Budget } from './rollups'
import { prepareOverview } from './routes/insights/dashboard'
import { preparePerformance } from './routes/insights/performance'
import { purgeRollupsBefore } from './rollups/insights'
import { purgePerfBefore } from './rollups/perf'
import { allShards, type Shard } from './db/shards'
import { parseConfig } from './db/sites'
import { EVENT_TYPES } from './schemas'
import { trainDueModel } from './predict/retrain'

const DAY_MS = 86_400_000
const DELETE_SLICE = 5_000
/**
 * Shares of D1's 1,000 queries an invocation (each statement of a batch counts), split evenly
 * between the shards of a run; the expiry batch at the end is ≤ 4 more per shard.
 */
const QUERIES = {
  outbox: 50,
  rebuild: 340,
  alerts: 200,
  deliveries: 100,
  purge: 100,
  prepare: 100,
  predict: 60, // one site's churn model (predict/retrain.ts)
}
/** Naming every type lets the delete walk the (site_id, type, ts) index instead of the table. */
const TYPES_SQL = EVENT_TYPES.map((t) => `'${t}'`).join(', ')

export type JobsRun = {
  outbox_drained: number
  rebuilt_days: number
  alert_sites: number
  webhook_messages: number
  webhook_attempts: number
  purged_events: number
  /** The site whose churn model this run trained, and how it went; null if none was due. */
  churn_model: { site_id: string; status: string; reason: string | null; scored: number } | null
}

/**
 * At most this many shards a run inline, the rest in turn by the minute: each keeps half of
 * every share, enough for a churn model (TRAIN_MIN_QUERIES) and days of rebuilds. Deployed,
 * cron runs each shard alone through the JOBS queue instead (jobs-queue.ts).
 */
const SHARDS_PER_RUN = 2

/**
 * Everything cron does, also reachable as `POST /v1/admin/jobs/run` (see routes/admin.ts), for
 * each shard of the run; the counts are their sums, `churn_model` the first shard's that trained
 * one. A shard that fails does not stop the others; its error is thrown once they are done.
 */
export async function runJobs(env: Env, now = Date.now()): Promise<JobsRun> {
  const shards = shardsOfRun(allShards(env), now)
  const total: JobsRun = {
    outbox_drained: 0,
    rebuilt_days: 0,
    alert_sites: 0,
    webhook_messages: 0,
    webhook_attempts: 0,
    purged_events: 0,
    churn_model: null,
  }
  const failed: unknown[] = []
  for (const shard of shards) {
    const run = await runShardJobs(shard.env, now, 1 / shards.length).catch((err) => {
      console.error(`jobs of shard ${shard.name} failed:`, String(err))
      failed.push(err)
      return null
    })
    if (!run) continue
    for (const k of Object.keys(total) as (keyof JobsRun)[]) {
      if (k !== 'churn_model') total[k] += run[k]
    }
    total.churn_model ??= run.churn_model
  }
  if (failed.length) throw failed[0]
  return total
}

function shardsOfRun(shards: Shard[], now: number): Shard[] {
  if (shards.length <= SHARDS_PER_RUN) return shards
  const start = (Math.floor(now / 60_000) * SHARDS_PER_RUN) % shards.length
  return Array.from({ length: SHARDS_PER_RUN }, (_, i) => shards[(start + i) % shards.length]!)
}

/** One shard's jobs, `env.DB` being the shard, with `part` of every share of QUERIES. */
export async function runShardJobs(env: Env, now: number, part: number): Promise<JobsRun> {
  const share = (job: keyof typeof QUERIES) => ({ left: Math.floor(QUERIES[job] * part) })
  try {
    // First, so the days of the events it stores are rebuilt in this run.
    const outbox_drained = await drainOutbox(env.DB, now, share('outbox')).catch(
      (err) => (console.error('outbox not drained:', String(err)), 0),
    )
    const rebuilt = await rebuildDirtyDays(env.DB, share('rebuild'))
    // A failing alert job must not stop the purge, nor the other way round.
    const alerts = await evaluateAlerts(env.DB, now, share('alerts'), env.PUBLIC_URL).catch(
      (err) => (console.error('alerts not evaluated:', String(err)), { sites: 0, messages: 0 }),
    )
    const attempts = await deliverDue(env.DB, senderOf(env), now, share('deliveries')).catch(
      (err) => (console.error('webhooks not sent:', String(err)), 0),
    )
    const purged_events = await purgeExpiredEvents(env.DB, now, share('purge'))
    const sites = [...new Set(rebuilt.map((d) => d.site_id))]
    await prepareOverviews(env.DB, sites, share('prepare'))
    const churn_model = await trainDueModel(env.DB, now, share('predict')).catch(
      (err) => (console.error('churn model not trained:', String(err)), null),
    )
    return {
      outbox_drained,
      rebuilt_days: rebuilt.length,
      alert_sites: alerts.sites,
      webhook_messages: alerts.messages,
      webhook_attempts: attempts,
      purged_events,
      churn_model,
    }
  } finally {
    // Whatever failed above, stored answers, dead letters and old deliveries still expire.
    await env.DB.batch([
      env.DB.prepare('DELETE FROM dead_letters WHERE received_at < ?1').bind(
        now - DEAD_LETTER_DAYS * DAY_MS,
      ),
      expireAnswersStatement(env.DB, now),
      ...expireDeliveriesStatements(env.DB, now - DEAD_LETTER_DAYS * DAY_MS),
    ])
  }
}

/**
 * An overview reads about twelve times (routes/insights/load.ts, and MRR's two in
 * overview-mrr.ts), performance eight: a bound.
 */
const PREPARE_QUERIES = 25

/**
 * The dashboard's first views — the overview and performance — of each site whose rollups just
 * changed and that someone has been looking at (`prepareOverview`, `preparePerformance`).
 */
async function prepareOverviews(db: D1Database, siteIds: string[], budget: Budget) {
  for (const siteId of siteIds) {
    if (budget.left < PREPARE_QUERIES) return
    budget.left -= PREPARE_QUERIES
    // A site whose overview cannot be computed now is computed when someone asks.
    for (const prepare of [prepareOverview, preparePerformance]) {
      await prepare(db, siteId, Date.now()).catch((err) =>
        console.error('answer not prepared:', String(err)),
      )
    }
  }
}

/** Dead letters hold whole events; a person has this long to look at them (and deliveries). */
const DEAD_LETTER_DAYS = 30

/**
 * `oldest_day`: the site's oldest rollup day, one primary-key seek. rollup_user_days has a row
 * for every day with an event of any type, so no other rollup holds an older day.
 */
const SITES_SQL = `SELECT s.id, c.config,
  (SELECT min(day) FROM rollup_user_days r WHERE r.site_id = s.id) AS oldest_day
FROM sites s LEFT JOIN site_config c ON c.site_id = s.id
ORDER BY random()
LIMIT 150`

/**
 * Deletes expired events and rollup rows; returns how many events went. Sites come in random
 * order, so past 150 sites (or the query budget) every site still gets its turn over runs.
 */
export async function purgeExpiredEvents(
  db: D1Database,
  now: number,
  budget: Budget,
): Promise<number> {
  budget.left--
  const { results } = await db
    .prepare(SITES_SQL)
    .all<{ id: string; config: string | null; oldest_day: string | null }>()
  let deleted = 0
  for (const site of results) {
    const { retention_days, audit_retention_days } = parseConfig(site.config)
    const cutoff = now - retention_days * DAY_MS
    const events = await purgeEvents(db, site.id, cutoff, budget)
    // Rollups hold whole days: the day the cutoff falls in goes with its first expired event.
    const days = await purgeRollupDays(
      db,
      site.id,
      site.oldest_day,
      utcDay(cutoff + DAY_MS - 1),
      budget,
    )
    if (events + days > 0) {
      // The performance rollups hold no user ids and few rows: one cut for all their days.
      const statements = [
        ...purgePerfBefore(db, site.id, utcDay(cutoff + DAY_MS - 1)),
        bumpDataVersionStatement(db, site.id),
      ]
      budget.left -= statements.length
      await db.batch(statements)
    }
    deleted += events
    if (budget.left > 0) {
      // A slice a run; the trigger of migrations/0011 refuses a row younger than its retention.
      budget.left--
      await purgeAuditLog(db, site.id, now - audit_retention_days * DAY_MS)
        .run()
        .catch((err) => console.error('audit log not purged:', String(err)))
    }
  }
  return deleted
}

async function purgeEvents(db: D1Database, siteId: string, cutoff: number, budget: Budget) {
  let deleted = 0
  while (budget.left > 0) {
    budget.left--
    const { meta } = await db
      .prepare(
        `DELETE FROM events WHERE site_id = ?1 AND (id, source) IN (
           SELECT id, source FROM events
           WHERE site_id = ?1 AND type IN (${TYPES_SQL}) AND ts < ?2 LIMIT ?3)`,
      )
      .bind(siteId, cutoff, DELETE_SLICE)
      .run()
    deleted += meta.changes
    if (meta.changes < DELETE_SLICE) break
  }
  return deleted
}

/**
 * Rollup days before `keepFrom`, one day (one D1 batch) at a time from the oldest, so a cut
 * that moved far back at once (retention_days lowered) spreads over runs.
 */
async function purgeRollupDays(
  db: D1Database,
  siteId: string,
  oldest: string | null,
  keepFrom: string,
  budget: Budget,
): Promise<number> {
  let purged = 0
  for (let day = oldest; day !== null && day < keepFrom; purged++) {
    day = utcDay(Date.parse(`${day}T00:00:00Z`) + DAY_MS)
    const statements = purgeRollupsBefore(db, siteId, day)
    if (budget.left < statements.length) break
    budget.left -= statements.length
    await db.batch(statements)
  }
  return purged
}
