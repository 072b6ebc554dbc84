/**
 * Upgrade conversion, free → paid within the period (DESIGN §7.9), overall and for the users
 * against the non-users of each feature.
 *
 * Candidates: users active in the period or who started paying in it, without MRR when it
 * began. Converted: a `new` or `reactivation` movement in the period. A candidate is a user of
 * the feature when they used it in the period — a converted one on or before the day they
 * converted, so a feature met only after paying does not count toward its conversion.
 * difference = rate(users) − rate(non-users) with Newcombe's 95% interval; lift = the ratio.
 */
import { rate } from '../numbers'
import { fraction } from './calendar'
import { newcombeInterval } from './newcombe'
import { mrrBefore, type UserHistory } from './timeline'
import type { ConversionGroup, FeatureConversion, UpgradeConversion } from './types'

/** Each feature's users in the period, with the first day they used it. */
export type FeatureFirstUse = Map<string, Map<string, string>>

export function upgradeConversion(
  users: Map<string, UserHistory>,
  active: Iterable<string>,
  uses: FeatureFirstUse,
  from: string,
  to: string,
): UpgradeConversion {
  /** Candidate → the day they converted, or null. */
  const candidates = new Map<string, string | null>()
  const consider = (uid: string) => {
    if (candidates.has(uid)) return
    const h = users.get(uid)
    if (h && mrrBefore(h, from) > 0) return
    const start = h?.changes.find(
      (c) =>
        c.day >= from && c.day <= to && (c.movement === 'new' || c.movement === 'reactivation'),
    )
    candidates.set(uid, start?.day ?? null)
  }
  for (const uid of active) consider(uid)
  for (const uid of users.keys())
    if (users.get(uid)!.changes.some((c) => c.day >= from)) consider(uid)

  const converted = [...candidates.values()].filter((d) => d !== null).length
  const features: FeatureConversion[] = [...uses]
    .map(([feature, firstUse]) => {
      const u = { n: 0, converted: 0 }
      for (const [uid, day] of candidates) {
        const first = firstUse.get(uid)
        if (first === undefined || (day !== null && first > day)) continue
        u.n++
        if (day !== null) u.converted++
      }
      const non = { n: candidates.size - u.n, converted: converted - u.converted }
      return featureConversion(feature, u, non)
    })
    .filter((f) => f.users.n > 0)
    .sort((a, b) => (b.difference ?? -2) - (a.difference ?? -2) || (a.feature < b.feature ? -1 : 1))
  return { ...group(candidates.size, converted), features }
}

function group(n: number, converted: number): ConversionGroup {
  return { n, converted, rate: fraction(rate(converted, n)) }
}

export function featureConversion(
  feature: string,
  u: { n: number; converted: number },
  non: { n: number; converted: number },
): FeatureConversion {
  const pu = rate(u.converted, u.n)
  const pn = rate(non.converted, non.n)
  const interval = newcombeInterval(u.converted, u.n, non.converted, non.n)
  return {
    feature,
    users: group(u.n, u.converted),
    non_users: group(non.n, non.converted),
    difference: pu !== null && pn !== null ? fraction(pu - pn) : null,
    interval: interval ? [fraction(interval[0])!, fraction(interval[1])!] : null,
    lift: pu !== null && pn ? fraction(pu / pn) : null,
  }
}
