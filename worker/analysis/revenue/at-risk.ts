/**
 * Who could convert free → paid in a period (DESIGN §7.9 upgrade_conversion): a user who was
 * free at some time in it, from the first day they were, with the day they then started paying.
 * Rollups hold days, so "free on a day" is read at its edges: at its start (the user was known
 * before it and had no MRR when it began) or at its end (no MRR when it ended).
 *
 * - Known before the period and free when it began: at risk from its first day.
 * - First seen in the period (first active day, or first subscription day for a user the app
 *   never saw): at risk from that day when they ended it free. A user who paid from their first
 *   day — a paid signup — was never free then: counting them as converted non-users of every
 *   feature they met after signing up is what made most features look as if they held users
 *   back.
 * - Paying when the period began, or from their first day: at risk from the day their MRR fell
 *   to 0 (churn), if it did in the period.
 * Converted: the first `new` or `reactivation` movement on or after that day.
 */
import { mrrAt, mrrBefore, type UserHistory } from './timeline'

export type AtRisk = {
  /** The first day of the period the user was free. */
  from: string
  /** At risk from a churn in the period: their free feature use is read from that day on. */
  after_churn: boolean
  /** The day they started paying again, or null. */
  converted: string | null
}

export type AtRiskInput = {
  users: Map<string, UserHistory>
  /** Users active in the period (any event other than `revenue`). */
  active: Iterable<string>
  /** Users first seen (first active day) in the period → that day. */
  firstSeen: Map<string, string>
  from: string
  to: string
}

/** Stands for "some day before the period" in comparisons of YYYY-MM-DD days. */
const BEFORE = ''

export function atRiskUsers(input: AtRiskInput): Map<string, AtRisk> {
  const { users, firstSeen, from, to } = input
  const activeSet = new Set(input.active)
  const out = new Map<string, AtRisk>()
  const consider = (uid: string) => {
    if (out.has(uid)) return
    const h = users.get(uid)
    const seen = firstSeen.get(uid) ?? (activeSet.has(uid) ? BEFORE : undefined)
    const known = earliest([
      seen,
      h?.first_paid_day,
      h?.changes[0]?.day,
      h?.start_cents ? BEFORE : undefined,
    ])
    if (known === undefined || known > to) return
    const start = known > from ? known : from
    const mrrBeganAt = h && known < start ? mrrBefore(h, start) : null
    let riskFrom: string | undefined
    let afterChurn = false
    if (!h || mrrBeganAt === 0) riskFrom = start
    else if (mrrAt(h, start) === 0) {
      riskFrom = start
      afterChurn = mrrBeganAt !== null
    } else {
      riskFrom = h.changes.find((c) => c.day > start && c.day <= to && c.after === 0)?.day
      afterChurn = true
    }
    if (riskFrom === undefined) return
    const conversion = h?.changes.find(
      (c) =>
        c.day >= riskFrom! &&
        c.day <= to &&
        (c.movement === 'new' || c.movement === 'reactivation'),
    )
    out.set(uid, { from: riskFrom, after_churn: afterChurn, converted: conversion?.day ?? null })
  }
  for (const uid of activeSet) consider(uid)
  for (const [uid, h] of users)
    if (h.changes.some((c) => c.day >= from && c.day <= to)) consider(uid)
  return out
}

function earliest(days: (string | null | undefined)[]): string | undefined {
  let min: string | undefined
  for (const d of days) if (d !== null && d !== undefined && (min === undefined || d < min)) min = d
  return min
}
