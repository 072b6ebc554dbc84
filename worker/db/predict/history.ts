/**
 * What the churn model reads about every user once per training, beyond the windows
 * (windows.ts): first-seen days, subscription starts, cancellations and upgrades, the current
 * MRR (all from rollups), and explicit `churn` stages — the one read of raw events, a slice of
 * the (site_id, type, ts) index holding only `stage` events, a handful per user.
 */
import type { Budget } from '../../rollups'
import { resolvedUid } from '../aliases'

export type SubscriptionDay = {
  uid: string
  day: string
  started: number
  cancelled: number
  upgraded: number
}

export type History = {
  firstDay: Map<string, string>
  subscriptions: SubscriptionDay[]
  /** uid → the days of their `churn` stage events, ascending. */
  churnStages: Map<string, string[]>
  /** uid → current MRR in the site currency (the latest row that has one). */
  mrr: Map<string, number>
}

export const FIRST_SEEN_SQL = 'SELECT uid, first_day FROM user_first_seen WHERE site_id = ?1'

export const SUBSCRIPTIONS_SQL = `SELECT uid, day, started, cancelled, upgraded FROM rollup_revenue_days
WHERE site_id = ?1 AND day >= ?2 AND started + cancelled + upgraded > 0 AND uid <> ''
ORDER BY uid, day`

/** 'YYYY-MM-DD:' is 11 characters, so the cents start at the 12th. */
export const MRR_SQL = `SELECT uid, CAST(substr(max(day || ':' || mrr_cents), 12) AS INTEGER) AS mrr_cents
FROM rollup_revenue_days
WHERE site_id = ?1 AND mrr_cents IS NOT NULL AND uid <> ''
GROUP BY uid`

export const CHURN_STAGES_SQL = `SELECT ${resolvedUid('events')} AS uid,
  strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type = 'stage' AND ts >= ?2 AND stage = 'churn' AND uid IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2`

/** Four queries; `fromDay`: the oldest day any window of the training looks at. */
export async function readHistory(
  db: D1Database,
  siteId: string,
  fromDay: string,
  budget: Budget,
): Promise<History> {
  budget.left -= 4
  const [first, subs, mrr, stages] = await db.batch([
    db.prepare(FIRST_SEEN_SQL).bind(siteId),
    db.prepare(SUBSCRIPTIONS_SQL).bind(siteId, fromDay),
    db.prepare(MRR_SQL).bind(siteId),
    db.prepare(CHURN_STAGES_SQL).bind(siteId, Date.parse(`${fromDay}T00:00:00Z`)),
  ])
  const churnStages = new Map<string, string[]>()
  for (const r of stages.results as { uid: string; day: string }[]) {
    const days = churnStages.get(r.uid) ?? []
    days.push(r.day)
    churnStages.set(r.uid, days)
  }
  return {
    firstDay: new Map(
      (first.results as { uid: string; first_day: string }[]).map((r) => [r.uid, r.first_day]),
    ),
    subscriptions: subs.results as SubscriptionDay[],
    churnStages,
    mrr: new Map(
      (mrr.results as { uid: string; mrr_cents: number }[]).map((r) => [r.uid, r.mrr_cents / 100]),
    ),
  }
}

export type SiteStats = {
  /** The site's first active day (user_first_seen), or null with no user yet. */
  first_day: string | null
  users: number
  data_version: number
}

export const SITE_STATS_SQL = `SELECT (SELECT min(first_day) FROM user_first_seen WHERE site_id = ?1) AS first_day,
  (SELECT count(*) FROM user_first_seen WHERE site_id = ?1) AS users,
  (SELECT data_version FROM sites WHERE id = ?1) AS data_version`

/** One query: how much the site holds, for the horizon and the retrain rule. */
export async function siteStats(db: D1Database, siteId: string, budget: Budget) {
  budget.left--
  const row = await db.prepare(SITE_STATS_SQL).bind(siteId).first<SiteStats>()
  return {
    first_day: row?.first_day ?? null,
    users: row?.users ?? 0,
    data_version: row?.data_version ?? 0,
  }
}
