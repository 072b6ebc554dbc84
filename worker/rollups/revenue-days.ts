/**
 * `rollup_revenue_days` (migrations/0014): each user's subscription state after a day, from the
 * day's `revenue` events (DESIGN §7.9). Only the day's own events go in, so a day rebuilds
 * alone and twice gives the same row: a day with no subscription event keeps mrr_cents NULL and
 * the reader carries the user's earlier state forward (worker/analysis/revenue/timeline.ts).
 */
import type { Rollup } from './index'

const DAY_MS = 86_400_000

/**
 * MRR after one event, cents: the amount charged for the plan, a twelfth of it for a yearly
 * one, 0 after a cancellation; NULL for a refund or a one-off charge, which leave it as it was.
 * Rounded to the cent once per event, so that every later sum is exact.
 */
const MRR_CENTS = `CASE
  WHEN name = 'subscription_cancelled' THEN 0
  WHEN name IN ('subscription_started', 'subscription_renewed', 'subscription_upgraded',
    'subscription_downgraded')
  THEN CAST(round(round(coalesce(value, 0) * 100)
    / CASE json_extract(props, '$.interval') WHEN 'year' THEN 12.0 ELSE 1.0 END) AS INTEGER)
END`

/**
 * The `latest` window orders the user's day with subscription events first, newest first: its
 * first row is the event that set the MRR the day ended with (or, without one, the day's last
 * revenue event, for the tier).
 */
export const REBUILD_REVENUE_DAYS = `INSERT INTO rollup_revenue_days (site_id, day, uid, tier,
  mrr_cents, interval, paying, charged_cents, refunded_cents, started, renewed, upgraded,
  downgraded, cancelled)
SELECT ?1, ?4, uid, max(last_tier), max(last_mrr), max(last_interval), max(last_mrr) > 0,
  sum(charged), sum(refunded), sum(name IS 'subscription_started'),
  sum(name IS 'subscription_renewed'), sum(name IS 'subscription_upgraded'),
  sum(name IS 'subscription_downgraded'), sum(name IS 'subscription_cancelled')
FROM (
  SELECT uid, name,
    CASE WHEN name <> 'refund' AND value > 0 THEN CAST(round(value * 100) AS INTEGER) ELSE 0 END
      AS charged,
    CASE WHEN name = 'refund' AND value < 0 THEN CAST(round(-value * 100) AS INTEGER) ELSE 0 END
      AS refunded,
    first_value(coalesce(tier, 'unknown')) OVER latest AS last_tier,
    first_value(mrr) OVER latest AS last_mrr,
    first_value(CASE WHEN mrr IS NOT NULL THEN coalesce(plan_interval, 'month') END) OVER latest
      AS last_interval
  FROM (
    SELECT uid, name, value, tier, ts, id, json_extract(props, '$.interval') AS plan_interval,
      ${MRR_CENTS} AS mrr
    FROM events INDEXED BY events_site_type_ts
    WHERE site_id = ?1 AND type = 'revenue' AND ts >= ?2 AND ts < ?3 AND uid IS NOT NULL
  )
  WINDOW latest AS (PARTITION BY uid ORDER BY mrr IS NULL, ts DESC, id DESC)
)
GROUP BY uid`

export const revenueDays: Rollup = {
  name: 'revenue_days',
  rebuild: (db, siteId, dayStart, day) => [
    db.prepare('DELETE FROM rollup_revenue_days WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_REVENUE_DAYS).bind(siteId, dayStart, dayStart + DAY_MS, day),
  ],
}
