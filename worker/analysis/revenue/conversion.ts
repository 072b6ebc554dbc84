/**
 * Upgrade conversion, free → paid within the period (DESIGN §7.9), overall and for the users
 * against the non-users of each feature.
 *
 * Candidates: the users at risk of converting — free at some time in the period (at-risk.ts),
 * each from the first day they were. Converted: a `new` or `reactivation` movement on or after
 * that day. A candidate is a user of the feature when they used it while free: on a day from
 * the start of their risk to the day they converted (to the period's end if they did not), so
 * a feature met only after paying does not count toward its conversion, and a paid signup
 * counts in neither group. difference = rate(users) − rate(non-users) with Newcombe's 95%
 * interval; lift = the ratio.
 */
import { rate } from '../numbers'
import { atRiskUsers, type AtRiskInput } from './at-risk'
import { fraction } from './calendar'
import { newcombeInterval } from './newcombe'
import type { ConversionGroup, FeatureConversion, UpgradeConversion } from './types'

/** Each feature's users in the period, with the first day they used it. */
export type FeatureFirstUse = Map<string, Map<string, string>>

export type ConversionInput = AtRiskInput & {
  /** Each feature's users in the period and the first day they used it. */
  featureUses: FeatureFirstUse
  /** The same, counting only days on or after the user's first churn (MRR to 0) in it. */
  afterChurnUses: FeatureFirstUse
}

export function upgradeConversion(input: ConversionInput): UpgradeConversion {
  const candidates = atRiskUsers(input)
  let converted = 0
  for (const c of candidates.values()) if (c.converted !== null) converted++
  const features: FeatureConversion[] = [...input.featureUses]
    .map(([feature, firstUse]) => {
      const afterChurn = input.afterChurnUses.get(feature)
      const u = { n: 0, converted: 0 }
      for (const [uid, c] of candidates) {
        const used = c.after_churn ? afterChurn?.get(uid) : firstUse.get(uid)
        if (used === undefined || used < c.from || used > (c.converted ?? input.to)) continue
        u.n++
        if (c.converted !== null) u.converted++
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
