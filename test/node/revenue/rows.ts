/** Rollup rows and reports for the revenue tests. */
import { analysisStart, revenueReport, type RevenueInput } from '../../../worker/analysis/revenue'
import type { RevenueDayRow } from '../../../worker/analysis/revenue/types'

/** A rollup row: `mrr` in cents (null: no subscription event that day). */
export function row(
  day: string,
  uid: string,
  tier: string,
  mrr: number | null,
  extra: Partial<RevenueDayRow> = {},
): RevenueDayRow {
  return {
    day,
    uid,
    tier,
    mrr_cents: mrr,
    interval: mrr === null ? null : 'month',
    charged_cents: mrr ?? 0,
    refunded_cents: 0,
    started: 0,
    upgraded: 0,
    downgraded: 0,
    cancelled: 0,
    ...extra,
  }
}

export function report(
  from: string,
  to: string,
  rows: RevenueDayRow[],
  more: Partial<RevenueInput> = {},
) {
  return revenueReport({
    from,
    to,
    windowFrom: more.windowFrom ?? analysisStart(from, to),
    carried: [],
    rows,
    active: new Map(),
    featureUses: new Map(),
    afterChurnUses: new Map(),
    afterSignupUses: new Map(),
    firstSeen: new Map(),
    windowUses: [],
    ...more,
  })
}
