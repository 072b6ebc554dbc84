/**
 * Low-success features: success rate (completed / uses with an outcome, all tiers) past the
 * site's `feature_success_rate` threshold (default warning < 0.95). Benchmark: the site's
 * 75th-percentile feature success rate (its 25th-percentile failure rate), when above the
 * feature's. users_per_month = dropped users (a failed or abandoned use, no completed one) ·
 * (benchmark − rate) / (1 − rate), per 30 days: the share of failures the benchmark would
 * remove; revenue_per_month = those users · the mean monthly price of the dropped users. A
 * feature that is also a workflow is left to the workflow's drop-off points. `top_reason` is
 * counted in uses, like the rate (why uses fail), where the feature's drop-off point counts
 * dropped users, one reason each.
 */
import type { FeatureAccessRow, FeatureUsageRow } from '../../db/insights/feature-stats'
import type { FeatureReasonRow } from '../../db/insights/feature-reasons'
import type { Prices } from '../dropoffs'
import { reasonList } from '../dropoff-impact'
import { increment, quantile, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { pct, type Candidate } from './rank'
import { statusOf, type Threshold } from '../thresholds'

export const MIN_OUTCOMES = 20

export function lowSuccessCandidates(
  usage: FeatureUsageRow[],
  access: FeatureAccessRow[],
  reasons: FeatureReasonRow[],
  limits: Threshold,
  prices: Prices,
  range: Range,
  workflows: Set<string>,
): Candidate[] {
  const features = new Map<string, { completed: number; failed: number; abandoned: number }>()
  for (const u of usage) {
    if (workflows.has(u.feature)) continue
    const f = features.get(u.feature) ?? { completed: 0, failed: 0, abandoned: 0 }
    f.completed += u.completed
    f.failed += u.failed
    f.abandoned += u.abandoned
    features.set(u.feature, f)
  }
  const rates = new Map<string, number>()
  for (const [feature, f] of features) {
    const n = f.completed + f.failed + f.abandoned
    if (n >= MIN_OUTCOMES) rates.set(feature, f.completed / n)
  }
  const benchmark = quantile([...rates.values()], 0.75) ?? 1
  const out: Candidate[] = []
  for (const [feature, rate] of rates) {
    const status = statusOf(rate, limits)
    if (status === 'ok') continue
    const f = features.get(feature)!
    const rows = access.filter((a) => a.feature === feature)
    const failingUsers = rows.reduce((s, a) => s + a.failing, 0)
    const dropped = rows.reduce((s, a) => s + a.dropped, 0)
    const droppedValue = rows.reduce((s, a) => s + a.dropped * (prices.get(a.tier) ?? 0), 0)
    const why = new Map<string, number>()
    for (const r of reasons) if (r.feature === feature) increment(why, r.reason, r.events)
    const top = reasonList(why, 1)[0]
    const users = perMonth((dropped * Math.max(0, benchmark - rate)) / (1 - rate), range)
    out.push({
      kind: 'low_success',
      subject: feature,
      title: `${feature} succeeds only ${pct(rate)} of the time`,
      evidence: {
        feature,
        outcomes: f.completed + f.failed + f.abandoned,
        completed: f.completed,
        failed: f.failed,
        abandoned: f.abandoned,
        success_rate: round(rate, 4),
        status,
        warning_threshold: limits.warning,
        benchmark_success_rate: round(benchmark, 4),
        failing_users: failingUsers,
        dropped_users: dropped,
        top_reason: top?.reason ?? null,
        top_reason_share: top?.share ?? null,
      },
      benchmark: {
        rate: round(benchmark, 4),
        source: `75th-percentile success rate of the site's ${rates.size} features with ${MIN_OUTCOMES}+ outcomes`,
        n: null,
        observed: true,
      },
      users_per_month: users,
      revenue_per_month: dropped ? users * (droppedValue / dropped) : 0,
      n: f.completed + f.failed + f.abandoned,
      recommendation:
        `Make ${feature} more reliable: ${pct(1 - rate)} of its uses fail or are abandoned` +
        (top ? `, most often with ${top.reason} (${pct(top.share)} of them)` : '') +
        `; the site's better features fail ${pct(1 - benchmark)} of the time.`,
    })
  }
  return out
}
