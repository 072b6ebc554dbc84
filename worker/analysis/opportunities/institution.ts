/**
 * Unhealthy-institution opportunities: an institution whose connection success rate
 * (completed / attempts with an outcome) is past the site's `connection_success_rate`
 * threshold (default warning < 0.95, critical < 0.90). Benchmark: the success rate of the
 * site's other institutions together. users_per_month = failing users · (benchmark − rate) /
 * (1 − rate), per 30 days; revenue_per_month = those users · the mean monthly price of the
 * institution's failing users. `lost`: the users who dropped at a workflow step in a run linking
 * the institution, by id (./attribution.ts: they are this opportunity's before the step's).
 */
import type { ConnectionRow } from '../../db/insights/connections'
import type { Prices } from '../dropoffs'
import { round } from '../numbers'
import type { Range } from '../period'
import { perMonth } from '../rollup-days'
import { pct, type Candidate, type Lost } from './rank'
import { statusOf, type Threshold } from '../thresholds'

export const MIN_ATTEMPTS = 20

type Totals = {
  attempts: number
  completed: number
  failed: number
  abandoned: number
  users: number
  failing_users: number
  failing_value: number
  latency_sum: number
  latency_n: number
}

export function institutionTotals(rows: ConnectionRow[], prices: Prices): Map<string, Totals> {
  const out = new Map<string, Totals>()
  for (const r of rows) {
    const t = out.get(r.institution) ?? {
      attempts: 0,
      completed: 0,
      failed: 0,
      abandoned: 0,
      users: 0,
      failing_users: 0,
      failing_value: 0,
      latency_sum: 0,
      latency_n: 0,
    }
    t.attempts += r.attempts
    t.completed += r.completed
    t.failed += r.failed
    t.abandoned += r.abandoned
    t.users += r.users
    t.failing_users += r.failing_users
    t.failing_value += r.failing_users * (prices.get(r.tier) ?? 0)
    t.latency_sum += r.latency_sum
    t.latency_n += r.latency_n
    out.set(r.institution, t)
  }
  return out
}

export function institutionCandidates(
  rows: ConnectionRow[],
  limits: Threshold,
  prices: Prices,
  range: Range,
  droppedLinking: Map<string, Map<string, number>> = new Map(),
): Candidate[] {
  const totals = institutionTotals(rows, prices)
  const all = [...totals.values()].reduce(
    (s, t) => ({ attempts: s.attempts + t.attempts, completed: s.completed + t.completed }),
    { attempts: 0, completed: 0 },
  )
  const out: Candidate[] = []
  for (const [institution, t] of totals) {
    if (t.attempts < MIN_ATTEMPTS) continue
    const rate = t.completed / t.attempts
    const status = statusOf(rate, limits)
    if (status === 'ok') continue
    const others = all.attempts - t.attempts
    const benchmark = others > 0 ? (all.completed - t.completed) / others : limits.warning
    const gap = rate < 1 ? Math.max(0, benchmark - rate) / (1 - rate) : 0
    const users = perMonth(t.failing_users * gap, range)
    const dropped = droppedLinking.get(institution)
    const lost: Lost | undefined = dropped
      ? { total: Math.max(t.failing_users, dropped.size), users: dropped }
      : undefined
    out.push({
      kind: 'institution',
      subject: institution,
      title: `Connections to ${institution} succeed only ${pct(rate)} of the time`,
      evidence: {
        institution,
        attempts: t.attempts,
        completed: t.completed,
        failed: t.failed,
        abandoned: t.abandoned,
        success_rate: round(rate, 4),
        status,
        warning_threshold: limits.warning,
        critical_threshold: limits.critical,
        benchmark_success_rate: round(benchmark, 4),
        users: t.users,
        failing_users: t.failing_users,
        mean_latency_ms: t.latency_n ? Math.round(t.latency_sum / t.latency_n) : null,
      },
      benchmark: {
        rate: round(benchmark, 4),
        source:
          others > 0
            ? 'success rate of the other institutions together'
            : 'default: no other institution; the warning threshold',
        n: others > 0 ? others : null,
        observed: others > 0,
      },
      lost,
      users_per_month: users,
      revenue_per_month: t.failing_users ? users * (t.failing_value / t.failing_users) : 0,
      n: t.attempts,
      recommendation:
        `Raise ${institution}'s connection success from ${pct(rate)} (${t.attempts} attempts, ` +
        `${status} below ${pct(status === 'critical' ? limits.critical : limits.warning)}) ` +
        `towards the other banks' ${pct(benchmark)}: take its failures to the bank or aggregator,` +
        ` and tell its users about the problem in the linking flow meanwhile.`,
    })
  }
  return out
}
