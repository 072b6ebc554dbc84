/**
 * The overview's MRR KPI (DESIGN §7.9, issue 10): MRR when the period began and at its end,
 * and the change, as `/revenue` answers them for the same period and filters — the same
 * subscription rollup, histories and daily series (analysis/revenue), the same users kept by
 * `tier`, `device` and `feature`. It reads only the two statements MRR needs, so the overview
 * cron prepares stays within its query bound (scheduled.ts).
 */
import { dailySeries, mrrChange } from '../../analysis/revenue/series'
import { userHistories } from '../../analysis/revenue/timeline'
import { rollupDays } from '../../analysis/rollup-days'
import { mrrRows } from '../../db/insights/revenue'
import type { InsightRequest } from './load'
import { revenueUsers } from './revenue-users'

export async function overviewMrr(r: InsightRequest) {
  const { from_day: from, to_day: to } = rollupDays(r.range)
  const days = { from, to }
  const loading = mrrRows(r.db, r.siteId, days).then((rows) => ({ ...rows, from, to }))
  const [{ carried, rows }, keep] = await Promise.all([
    loading,
    revenueUsers(r.db, r.siteId, days, r.filters, loading),
  ])
  const users = keep
    ? userHistories(
        carried.filter((c) => keep.has(c.uid)),
        rows.filter((x) => keep.has(x.uid)),
      )
    : userHistories(carried, rows)
  return mrrChange(dailySeries(users.values(), from, to))
}
