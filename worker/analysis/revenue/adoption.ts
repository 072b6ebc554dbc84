/**
 * Feature adoption among paying users (DESIGN §7.9): of the users who paid (MRR > 0) at any
 * time in the period, the share who used each feature in it. Answers what paying customers
 * actually use, which the all-users adoption of feature value (§7.1) blurs with free users.
 */
import { rate } from '../numbers'
import { fraction } from './calendar'
import type { FeatureFirstUse } from './conversion'
import { mrrBefore, type UserHistory } from './timeline'
import type { FeatureAdoption } from './types'

/** Users with MRR above 0 at some time between `from` and `to`. */
export function payingUsers(users: Iterable<UserHistory>, from: string, to: string): Set<string> {
  const paying = new Set<string>()
  for (const h of users) {
    const paid =
      mrrBefore(h, from) > 0 || h.changes.some((c) => c.day >= from && c.day <= to && c.after > 0)
    if (paid) paying.add(h.uid)
  }
  return paying
}

export function featureAdoption(paying: Set<string>, uses: FeatureFirstUse): FeatureAdoption {
  const features = [...uses]
    .map(([feature, firstUse]) => {
      let users = 0
      for (const uid of firstUse.keys()) if (paying.has(uid)) users++
      return { feature, users, adoption: fraction(rate(users, paying.size)) }
    })
    .sort((a, b) => b.users - a.users || (a.feature < b.feature ? -1 : 1))
  return { paying_users: paying.size, features }
}
