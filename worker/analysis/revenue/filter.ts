/**
 * The filters of `GET /revenue` (DESIGN §6: `tier`, `device`, `feature`) choose users, and then
 * every number counts only theirs, so the movements of a filtered answer still add up to its
 * ΔMRR. A user is in `tier` when their subscription was in it when the period began or on a
 * day of it, or they were active in it (tier of their events); in `device` when they were
 * active on it in the period; in `feature` when they used it in the period.
 */
import type { FeatureFirstUse } from './conversion'
import type { RevenueInput } from './index'

/** Users whose subscription tier was `tier` at the start of `from` or on a day up to `to`. */
export function subscriptionTierUsers(
  input: Pick<RevenueInput, 'carried' | 'rows' | 'from' | 'to'>,
  tier: string,
): Set<string> {
  const at = new Map<string, string>(input.carried.map((c) => [c.uid, c.tier]))
  const users = new Set<string>()
  const sorted = [...input.rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  for (const r of sorted) {
    if (r.day < input.from) {
      if (r.mrr_cents !== null) at.set(r.uid, r.tier)
    } else if (r.day <= input.to && r.tier === tier) users.add(r.uid)
  }
  for (const [uid, t] of at) if (t === tier) users.add(uid)
  return users
}

/** The input with only the users `keep` holds. */
export function onlyUsers(input: RevenueInput, keep: ReadonlySet<string>): RevenueInput {
  const has = (uid: string) => keep.has(uid)
  return {
    ...input,
    carried: input.carried.filter((c) => has(c.uid)),
    rows: input.rows.filter((r) => has(r.uid)),
    active: new Map([...input.active].map(([m, set]) => [m, new Set([...set].filter(has))])),
    featureUses: usesOf(input.featureUses, has),
    afterChurnUses: usesOf(input.afterChurnUses, has),
    afterSignupUses: usesOf(input.afterSignupUses, has),
    firstSeen: new Map([...input.firstSeen].filter(([u]) => has(u))),
    windowUses: input.windowUses.filter((u) => has(u.uid)),
  }
}

function usesOf(uses: FeatureFirstUse, has: (uid: string) => boolean): FeatureFirstUse {
  return new Map([...uses].map(([f, users]) => [f, new Map([...users].filter(([u]) => has(u)))]))
}
