/**
 * Drop-off opportunities: points whose drop rate is above the site's median point (points that
 * can be dropped at: a workflow's last step cannot). Benchmark: ./benchmark.ts — a rate a
 * comparable point achieved, else halfway to the median. users_per_month = (drop_rate −
 * benchmark) · entered, per 30 days; revenue_per_month = those users · the mean monthly price
 * of the point's dropped users. Points with fewer than MIN_ENTERED users take no part.
 */
import type { DropoffPoint } from '../dropoff-impact'
import { quantile, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { benchmarkPhrase, dropoffBenchmark, MIN_N, type Benchmark } from './benchmark'
import { pct, type Candidate, type Lost } from './rank'
import type { LostUser, SegmentRate } from './step-losses'

export const MIN_ENTERED = 10

export function subjectOf(p: Pick<DropoffPoint, 'workflow' | 'step' | 'feature'>): string {
  return p.workflow ? `${p.workflow} › ${p.step}` : `${p.feature}`
}

export type DropoffContext = {
  /** Point ids of workflows' last steps. */
  terminal?: Set<string>
  /** Point id → its rates by tier, device and institution. */
  segments?: Map<string, SegmentRate[]>
  /** Point id → its dropped users, when known by id (workflow steps). */
  lost?: Map<string, Map<string, LostUser>>
}

function benchmarkText(b: Benchmark): string {
  if (!b.observed) {
    return (
      `No comparable point with ${MIN_N}+ users does better, so this assumes half the gap to the` +
      ` site's median closes (a drop rate of ${pct(b.rate)})`
    )
  }
  return `Bringing it to the ${pct(b.rate)} ${benchmarkPhrase(b)}`
}

function lostOf(p: DropoffPoint, users?: Map<string, LostUser>): Lost | undefined {
  if (!users) return undefined
  return { total: p.dropped, users: new Map([...users].map(([u, l]) => [u, l.price])) }
}

export function dropoffCandidates(
  points: DropoffPoint[],
  range: Range,
  ctx: DropoffContext = {},
): Candidate[] {
  const sample = points.filter((p) => p.entered >= MIN_ENTERED && !ctx.terminal?.has(p.id))
  const median =
    quantile(
      sample.map((p) => p.drop_rate),
      0.5,
    ) ?? 0
  return sample
    .filter((p) => p.dropped > 0 && p.drop_rate > median)
    .map((p) => {
      const benchmark = dropoffBenchmark(p, sample, ctx.segments?.get(p.id) ?? [], median)
      const users = perMonth(Math.max(0, p.drop_rate - benchmark.rate) * p.entered, range)
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
          benchmark_drop_rate: benchmark.rate,
          benchmark_source: benchmark.source,
          top_reason: reason?.reason ?? null,
          top_reason_share: reason?.share ?? null,
          top_institution: institution?.institution ?? null,
          top_institution_share: institution?.share ?? null,
          revenue_at_risk: p.revenue_at_risk,
        },
        benchmark,
        lost: lostOf(p, ctx.lost?.get(p.id)),
        users_per_month: users,
        revenue_per_month: p.dropped > 0 ? users * (p.revenue_at_risk / p.dropped) : 0,
        n: p.entered,
        recommendation:
          `Fix ${where}: ${p.dropped} of the ${p.entered} users who reach it leave${because}` +
          (institution && institution.share >= 0.4
            ? `; ${pct(institution.share)} of them were linking ${institution.institution}`
            : '') +
          `. ${benchmarkText(benchmark)} would keep about ${Math.round(users)} users a month.`,
      }
    })
}
