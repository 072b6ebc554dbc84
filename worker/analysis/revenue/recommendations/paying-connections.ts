/**
 * The institution lever's rows: each user's bank connections in the period (one row per
 * institution and user, from `rollup_connection_days`) joined with their MRR history. A paying
 * user is one with MRR above 0 at some time in the period (adoption.ts); they churned when they
 * paid in the period and pay nothing at its end. A failure counts against an institution when
 * the user paid at the time (on the day of their first or last failed or abandoned connection
 * there), so a failure met while free, or after leaving, does not.
 */
import { units } from '../calendar'
import { payingUsers } from '../adoption'
import { mrrAt, mrrBefore, type UserHistory } from '../timeline'
import type { CleanBaseline, InstitutionPaying } from './institution-failures'

export type UserConnections = {
  institution: string
  uid: string
  attempts: number
  completed: number
  /** Failed and abandoned connections. */
  failures: number
  first_failure_day: string | null
  last_failure_day: string | null
}

/** What the user paid on `day`: before it or after it, whichever is more (cents). */
function mrrOn(h: UserHistory, day: string | null): number {
  return day ? Math.max(mrrBefore(h, day), mrrAt(h, day)) : 0
}

/** `conns` holds one row per (institution, uid). */
export function payingConnections(
  conns: UserConnections[],
  users: Map<string, UserHistory>,
  from: string,
  to: string,
): { institutions: InstitutionPaying[]; clean: CleanBaseline } {
  const paying = payingUsers(users.values(), from, to)
  const churned = new Set([...paying].filter((uid) => mrrAt(users.get(uid)!, to) === 0))
  const failedAnywhere = new Set<string>()
  const byInstitution = new Map<string, InstitutionPaying>()
  for (const c of conns) {
    if (!paying.has(c.uid)) continue
    const h = users.get(c.uid)!
    if (c.failures > 0) failedAnywhere.add(c.uid)
    let t = byInstitution.get(c.institution)
    if (!t) {
      t = {
        institution: c.institution,
        attempts: 0,
        completed: 0,
        paying_users: 0,
        failing_users: 0,
        failing_mrr: 0,
        failing_churned: 0,
      }
      byInstitution.set(c.institution, t)
    }
    t.attempts += c.attempts
    t.completed += c.completed
    t.paying_users++
    const mrr = Math.max(mrrOn(h, c.first_failure_day), mrrOn(h, c.last_failure_day))
    if (mrr <= 0) continue
    t.failing_users++
    t.failing_mrr += mrr
    if (churned.has(c.uid)) t.failing_churned++
  }
  const clean = { users: 0, churned: 0 }
  for (const uid of paying) {
    if (failedAnywhere.has(uid)) continue
    clean.users++
    if (churned.has(uid)) clean.churned++
  }
  const institutions = [...byInstitution.values()].map((t) => ({
    ...t,
    failing_mrr: units(t.failing_mrr),
  }))
  return { institutions, clean }
}
