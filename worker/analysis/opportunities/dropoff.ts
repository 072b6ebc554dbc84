/**
 * Drop-off opportunities: points whose drop rate is above the site's median point. Benchmark:
 * the site's 25th-percentile drop rate; users_per_month = (drop_rate − benchmark) · entered,
 * per 30 days; revenue_per_month = those users · the mean monthly price of the point's
 * dropped users. Points with fewer than MIN_ENTERED users take no part.
 */
import type { DropoffPoint } from '../dropoff-impact'
import { quantile, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { pct, type Candidate } from './rank'

export const MIN_ENTERED = 10

export function subjectOf(p: Pick<DropoffPoint, 'workflow' | 'step' | 'feature'>): string {
  return p.workflow ? `${p.workflow} › ${p.step}` : `${p.feature}`
}

export function dropoffCandidates(points: DropoffPoint[], range: Range): Candidate[] {
  const sample = points.filter((p) => p.entered >= MIN_ENTERED)
  const rates = sample.map((p) => p.drop_rate)
  const median = quantile(rates, 0.5) ?? 0
  const benchmark = quantile(rates, 0.25) ?? 0
  return sample
    .filter((p) => p.dropped > 0 && p.drop_rate > median)
    .map((p) => {
      const users = perMonth(Math.max(0, p.drop_rate - benchmark) * p.entered, range)
      const reason = p.common_reasons[0]
      const institution = p.top_institutions[0]
      const where = subjectOf(p)
      const because = reason
        ? `, most often because of ${reason.reason} (${pct(reason.share)} of them)`
        : ''
      return {
        kind: 'dropoff' as const,
        subject: p.id,
        title: `${pct(p.drop_rate)} of users drop off at ${where}`,
        evidence: {
          type: p.type,
          workflow: p.workflow,
          step: p.step,
          feature: p.feature,
          entered: p.entered,
          dropped: p.dropped,
          drop_rate: p.drop_rate,
          site_median_drop_rate: round(median, 4),
          benchmark_drop_rate: round(benchmark, 4),
          top_reason: reason?.reason ?? null,
          top_reason_share: reason?.share ?? null,
          top_institution: institution?.institution ?? null,
          top_institution_share: institution?.share ?? null,
          revenue_at_risk: p.revenue_at_risk,
        },
        users_per_month: users,
        revenue_per_month: p.dropped > 0 ? users * (p.revenue_at_risk / p.dropped) : 0,
        n: p.entered,
        recommendation:
          `Fix ${where}: ${p.dropped} of the ${p.entered} users who reach it leave${because}` +
          (institution && institution.share >= 0.4
            ? `; ${pct(institution.share)} of them were linking ${institution.institution}`
            : '') +
          `. Bringing it to the site's 25th-percentile drop rate (${pct(benchmark)}) would keep` +
          ` about ${Math.round(users)} users a month.`,
      }
    })
}
