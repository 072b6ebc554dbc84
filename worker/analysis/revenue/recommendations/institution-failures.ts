/**
 * An institution whose connection failures cost paying users. Among the period's paying users
 * who tried to connect to it, those with a failed or abandoned connection churned at c_f; paying
 * users whose connections never failed (to any institution) churned at c_0. A lever only when
 * both groups hold `min_sample` users and the 95% Newcombe interval of c_f − c_0 lies above 0.
 * Its value is the MRR the excess churn takes: failing users' MRR · (c_f − c_0), over the
 * period, per 30 days — what fixing the failures would keep, if those users then churned like
 * the others.
 */
import { round } from '../../numbers'
import { lever, money, monthly, pct, points, rounded, type Lever, type LeverContext } from './lever'
import { newcombeInterval } from '../newcombe'

export type InstitutionPaying = {
  institution: string
  /** Connection attempts with an outcome by the period's paying users, and the completed ones. */
  attempts: number
  completed: number
  /** Paying users who tried to connect to it. */
  paying_users: number
  /** Of them, those with a failed or abandoned connection, their MRR and how many churned. */
  failing_users: number
  failing_mrr: number
  failing_churned: number
}

/** Paying users whose connections never failed in the period, and how many churned. */
export type CleanBaseline = { users: number; churned: number }

export function institutionFailureLevers(
  rows: InstitutionPaying[],
  baseline: CleanBaseline,
  ctx: LeverContext,
): Lever[] {
  if (baseline.users < ctx.minSample) return []
  const c0 = baseline.churned / baseline.users
  const out: Lever[] = []
  for (const r of rows) {
    if (r.failing_users < ctx.minSample) continue
    const diff = newcombeInterval(
      r.failing_churned,
      r.failing_users,
      baseline.churned,
      baseline.users,
    )
    if (!diff || diff[0] <= 0) continue
    const cf = r.failing_churned / r.failing_users
    const success = r.attempts > 0 ? r.completed / r.attempts : null
    const value = monthly(r.failing_mrr * (cf - c0), ctx.days)
    const meanMrr = r.failing_mrr / r.failing_users
    out.push(
      lever({
        kind: 'institution_failures',
        subject: r.institution,
        title: `Failed connections to ${r.institution} are losing paying users`,
        sentence:
          `${r.failing_users} paying users had a connection to ${r.institution} fail` +
          (success === null ? '' : ` (their connections succeed ${pct(success)} of the time)`) +
          `, and ${pct(cf)} of them churned, against ${pct(c0)} of paying users whose ` +
          `connections never failed (${points(cf - c0)}, 95% interval ${points(diff[0])} to ` +
          `${points(diff[1])}). Take ${r.institution}'s failures to the bank or aggregator and ` +
          `reach out to its failing paying users: the excess churn costs about ` +
          `${money(value, ctx.currency)} of MRR a month.`,
        monthly_value: value,
        evidence: {
          institution: r.institution,
          attempts: r.attempts,
          completed: r.completed,
          success_rate: round(success, 4),
          paying_users: r.paying_users,
          failing_users: r.failing_users,
          failing_churned: r.failing_churned,
          churn_rate_failing: round(cf, 4),
          clean_users: baseline.users,
          clean_churned: baseline.churned,
          churn_rate_clean: round(c0, 4),
          difference: round(cf - c0, 4),
          difference_interval: rounded(diff),
          failing_mrr: round(r.failing_mrr, 2),
          mean_mrr_failing: round(meanMrr, 2),
        },
      }),
    )
  }
  return out
}
