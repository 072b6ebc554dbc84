/**
 * A drop-off point's benchmark: a drop rate actually achieved by a comparable point with enough
 * data, never 0 by construction. In this order:
 * 1. the same step in its best segment: the lowest drop rate of the step among tiers, devices
 *    and institutions (a dimension counts when at least two of its segments have ≥ MIN_N users
 *    at the step), e.g. `institution:harbor_bank`;
 * 2. the best point of the same drop-off type: the lowest drop rate among the site's other
 *    points of that type with ≥ MIN_N users entered, e.g. `type:integration account_linking › connect`;
 * 3. when neither is lower than the point's own rate, no observed benchmark exists; the
 *    conservative default halves the gap to the site's median point: (rate + median) / 2.
 * A workflow's last step is never a comparable point: reaching it is completing, nobody can
 * drop there, so its 0 % is true by construction and says nothing about what a fix achieves.
 * Nor is a segment or point where nobody dropped: 0 of n only says the rate is below about
 * 3 / n (the rule of three), and the lowest of many small segments is 0 by luck alone.
 */
import type { DropoffPoint } from '../dropoff-impact'
import { round } from '../numbers'
import type { SegmentRate } from './step-losses'

export const MIN_N = 30

export type Benchmark = {
  /** The benchmark rate (here a drop rate, 0–1). */
  rate: number
  /** Where it comes from: `tier:premium step verify`, `type:…`, or `default: …`. */
  source: string
  /** Users behind the benchmark rate; null for the default. */
  n: number | null
  observed: boolean
}

type Point = Pick<DropoffPoint, 'id' | 'type' | 'entered' | 'dropped' | 'drop_rate'> & {
  workflow: string | null
  step: string | null
  feature: string | null
}

function where(p: Point) {
  return p.workflow ? `${p.workflow} › ${p.step}` : `${p.feature}`
}

/** The best segment of the point's own step, if it does better than the point. */
function bestSegment(p: Point, segments: SegmentRate[]): Benchmark | null {
  const dimOf = (s: SegmentRate) => s.segment.slice(0, s.segment.indexOf(':'))
  const enough = segments.filter((s) => s.entered >= MIN_N)
  const perDimension = new Map<string, number>()
  for (const s of enough) perDimension.set(dimOf(s), (perDimension.get(dimOf(s)) ?? 0) + 1)
  const best = enough
    .filter((s) => s.dropped > 0 && (perDimension.get(dimOf(s)) ?? 0) >= 2)
    .map((s) => ({ ...s, rate: s.dropped / s.entered }))
    .sort((a, b) => a.rate - b.rate || b.entered - a.entered)[0]
  if (!best || !(best.rate < p.drop_rate)) return null
  const step = p.workflow ? `step ${p.step}` : `feature ${p.feature}`
  return {
    rate: round(best.rate, 4),
    source: `${best.segment} ${step}`,
    n: best.entered,
    observed: true,
  }
}

/** The best other point of the same type with enough users, if it does better. */
function bestOfType(p: Point, comparable: Point[]): Benchmark | null {
  const best = comparable
    .filter((o) => o.id !== p.id && o.type === p.type && o.entered >= MIN_N && o.dropped > 0)
    .sort((a, b) => a.drop_rate - b.drop_rate || b.entered - a.entered)[0]
  if (!best || !(best.drop_rate < p.drop_rate)) return null
  return {
    rate: round(best.drop_rate, 4),
    source: `type:${p.type} ${where(best)}`,
    n: best.entered,
    observed: true,
  }
}

/** The benchmark in words: "premium users achieve at this step (n = 45)". */
export function benchmarkPhrase(b: Benchmark): string {
  const [head, ...rest] = b.source.split(' ')
  const [dim, ...value] = head.split(':')
  const name = value.join(':')
  const who =
    dim === 'institution'
      ? `users linking ${name} achieve at this step`
      : dim === 'type'
        ? `${rest.join(' ')}, the best ${name} point, achieves`
        : `${name} users achieve at this step`
  return `${who} (n = ${b.n})`
}

/**
 * `comparable`: the site's points that can be dropped at (no workflow's last step);
 * `segments`: the point's rates by segment; `median`: the site's median drop rate.
 */
export function dropoffBenchmark(
  p: Point,
  comparable: Point[],
  segments: SegmentRate[],
  median: number,
): Benchmark {
  const found = bestSegment(p, segments) ?? bestOfType(p, comparable)
  if (found) return found
  return {
    rate: round((p.drop_rate + Math.min(median, p.drop_rate)) / 2, 4),
    source: 'default: no comparable point does better (n ≥ 30); halfway to the site median',
    n: null,
    observed: false,
  }
}
