/**
 * Journey-leak opportunities: per journey, the stage transition s → s+1 (up to the furthest
 * stage anyone reached) with the most to gain. reached(s) = users whose furthest stage is at
 * least s; leak rate = (reached(s) − reached(s+1)) / reached(s). Benchmark: the best tier's
 * leak rate at that transition (at least two tiers with ≥ 30 users there, ./benchmark.ts
 * MIN_N), else — no observed rate to aim at — the conservative default halfway to the
 * journey's median leak rate (over its transitions with MIN_REACHED users). users_per_month = (leak rate − benchmark) · reached(s),
 * per 30 days. revenue_per_month is 0: a stage reached is not revenue in itself.
 */
import type { StageReachRow } from '../../db/insights/stage-reach'
import { STAGES } from '../../schemas'
import { quantile, round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { MIN_N, type Benchmark } from './benchmark'
import { pct, type Candidate } from './rank'

export const MIN_REACHED = 20
const ORDER = STAGES.filter((s) => s !== 'churn')

type Leak = { stage: string; next: string; from: number; to: number; rate: number }

/** Users reaching each stage (furthest ≥ it). */
function reachOf(rows: StageReachRow[]): number[] {
  return ORDER.map((_, i) => rows.filter((r) => r.furthest >= i).reduce((s, r) => s + r.users, 0))
}

function leaksOf(reached: number[], upTo: number): Leak[] {
  return ORDER.slice(0, upTo).map((stage, i) => ({
    stage,
    next: ORDER[i + 1],
    from: reached[i],
    to: reached[i + 1],
    rate: reached[i] ? (reached[i] - reached[i + 1]) / reached[i] : 0,
  }))
}

export function journeyLeakCandidates(rows: StageReachRow[], range: Range): Candidate[] {
  const out: Candidate[] = []
  for (const journey of new Set(rows.map((r) => r.journey))) {
    const mine = rows.filter((r) => r.journey === journey)
    const furthest = Math.max(...mine.map((r) => r.furthest))
    const leaks = leaksOf(reachOf(mine), furthest)
    const tiers = [...new Set(mine.map((r) => r.tier))].filter((t) => t !== 'unknown')
    const byTier = tiers.map((tier) => ({
      tier,
      leaks: leaksOf(reachOf(mine.filter((r) => r.tier === tier)), furthest),
    }))
    const median =
      quantile(
        leaks.filter((l) => l.from >= MIN_REACHED).map((l) => l.rate),
        0.5,
      ) ?? 0
    const scored = leaks
      .map((leak, i) => {
        const segments = byTier
          .filter((t) => t.leaks[i].from >= MIN_N)
          .sort((a, b) => a.leaks[i].rate - b.leaks[i].rate)
        const best =
          segments.length >= 2 && segments[0].leaks[i].rate < leak.rate ? segments[0] : undefined
        const benchmark = best ? best.leaks[i].rate : (leak.rate + Math.min(median, leak.rate)) / 2
        const gain = Math.max(0, leak.rate - benchmark) * leak.from
        return { leak, benchmark, tier: best?.tier ?? null, n: best?.leaks[i].from ?? null, gain }
      })
      .filter((s) => s.leak.from >= MIN_REACHED && s.gain > 0)
      .sort((a, b) => b.gain - a.gain)
    if (!scored.length) continue
    const { leak, benchmark, tier, n, gain } = scored[0]
    const users = perMonth(gain, range)
    const bench: Benchmark = {
      rate: round(benchmark, 4),
      source: tier
        ? `tier:${tier} stage ${leak.stage}`
        : `default: no tier with ${MIN_N}+ users does better; halfway to the journey median`,
      n,
      observed: tier !== null,
    }
    out.push({
      kind: 'journey_leak',
      subject: `${journey}:${leak.stage}`,
      title: `${pct(leak.rate)} of users stall at ${leak.stage} in the ${journey} journey`,
      evidence: {
        journey,
        from_stage: leak.stage,
        to_stage: leak.next,
        reached_from: leak.from,
        reached_to: leak.to,
        leak_rate: round(leak.rate, 4),
        benchmark_leak_rate: round(benchmark, 4),
        benchmark_tier: tier,
      },
      benchmark: bench,
      users_per_month: users,
      revenue_per_month: 0,
      n: leak.from,
      recommendation:
        `Help users from ${leak.stage} to ${leak.next}: ${leak.from - leak.to} of ${leak.from}` +
        ` stop there` +
        (tier
          ? `, against ${pct(benchmark)} of ${tier} users`
          : `; no tier does better with ${MIN_N}+ users, so this assumes half the gap to the` +
            ` journey's median leak closes (${pct(benchmark)})`) +
        `. Show them what ${leak.next} users do first (an in-app prompt, a guided first use)` +
        ` and measure the leak again.`,
    })
  }
  return out
}
