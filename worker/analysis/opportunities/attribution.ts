/**
 * Each lost user counted once. Opportunities overlap: a user who dropped at account_linking's
 * verify step while linking an unhealthy bank is behind both the bank's opportunity and the
 * step's. Rule: a lost user is attributed to the most specific cause they belong to —
 * an institution first (a named bank's failures are a narrower cause than the step where they
 * show), then a feature's low success, then a drop-off point, then the rest; within a kind, the
 * opportunity with more users per month first. An opportunity keeps, of its potential, the
 * share of its lost users (revenue: of their monthly value) not attributed to a more specific
 * one; its `overlaps` say which share of its lost users each other opportunity shares.
 * The header total is then the sum of what each keeps: a union, each user once.
 *
 * Known by id: the users who dropped at a workflow step, and, for an institution, those of them
 * whose dropping run was linking it. Aggregates (feature drop-offs, low success, journey leaks)
 * have no ids and count as disjoint from the rest; a feature flagged for low success is not
 * proposed again as a drop-off (./index.ts), and upsells are gains, not lost users.
 */
import type { Candidate, Opportunity, OpportunityKind } from './rank'
import { USER_WEIGHT } from './rank'
import { round } from '../numbers'

export const SPECIFICITY: Record<OpportunityKind, number> = {
  institution: 0,
  low_success: 1,
  dropoff: 2,
  upsell: 3,
  slow_step: 4,
  journey_leak: 5,
}

/** `index`: the other candidate's place in the list given; `share` of this one's lost users. */
export type Overlap = { index: number; share: number }

export function attributeLosses(all: Candidate[]) {
  const order = all
    .map((_, i) => i)
    .sort(
      (a, b) =>
        SPECIFICITY[all[a].kind] - SPECIFICITY[all[b].kind] ||
        all[b].users_per_month - all[a].users_per_month ||
        (all[a].subject < all[b].subject ? -1 : 1),
    )
  const claimed = new Set<string>()
  const candidates = [...all]
  for (const i of order) {
    const lost = all[i].lost
    if (!lost || lost.total <= 0) continue
    let shared = 0
    let sharedValue = 0
    let value = 0
    for (const [user, price] of lost.users) {
      value += price
      if (claimed.has(user)) {
        shared++
        sharedValue += price
      } else claimed.add(user)
    }
    const userShare = Math.min(1, shared / lost.total)
    const valueShare = value > 0 ? sharedValue / value : userShare
    candidates[i] = {
      ...all[i],
      users_per_month: all[i].users_per_month * (1 - userShare),
      revenue_per_month: all[i].revenue_per_month * (1 - valueShare),
    }
  }
  const overlaps = all.map((c, i): Overlap[] => {
    if (!c.lost || c.lost.total <= 0) return []
    const out: Overlap[] = []
    all.forEach((other, j) => {
      if (j === i || !other.lost) return
      let shared = 0
      for (const user of c.lost!.users.keys()) if (other.lost.users.has(user)) shared++
      if (shared > 0) out.push({ index: j, share: round(Math.min(1, shared / c.lost!.total), 4) })
    })
    return out.sort((a, b) => b.share - a.share)
  })
  return { candidates, gross: all, overlaps }
}

/**
 * The whole list's potential, each lost user once: Σ of what each opportunity keeps. Users:
 * of the kinds whose user is a kept customer (not a slow run spared, not a stage moved on).
 */
export function unionTotal(list: Opportunity[]) {
  let users = 0
  let revenue = 0
  for (const o of list) {
    if (USER_WEIGHT[o.kind] === 1) users += o.improvement_potential.users_per_month
    revenue += o.improvement_potential.revenue_per_month
  }
  const gross = list.reduce((s, o) => s + o.improvement_potential.gross_revenue_per_month, 0)
  return {
    users_per_month: round(users, 1),
    revenue_per_month: round(revenue, 2),
    /** The plain sum before attribution, to show what counting overlaps twice would say. */
    gross_revenue_per_month: round(gross, 2),
  }
}
