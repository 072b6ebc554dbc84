/**
 * Upgrade conversion, free → paid within the period (DESIGN §7.9), overall and for the users
 * against the non-users of each feature.
 *
 * Candidates: the users at risk of converting — free at some time in the period (at-risk.ts),
 * each from the first day they were. Converted: a `new` or `reactivation` movement on or after
 * that day. A candidate is a user of the feature when they used it while free: their first use
 * on or after the start of their risk is on or before the day they converted (the period's end
 * if they did not). Read from that start, a visit before signing up or a use while paying before
 * a churn does not hide a later use while free; a feature met only after paying does not count
 * toward its conversion, and a paid signup counts in neither group. difference = rate(users) −
 * rate(non-users) with Newcombe's 95% interval; lift = the ratio.
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
  /**
   * The same from the first day with a tier of each user first seen in the period before it
   * (a visit before signing up): what they used once they had an account.
   */
  afterSignupUses: FeatureFirstUse
}

export function upgradeConversion(input: ConversionInput): UpgradeConversion {
  const candidates = atRiskUsers(input)
  let converted = 0
  for (const c of candidates.values()) if (c.converted !== null) converted++
  const features: FeatureConversion[] = [...input.featureUses]
    .map(([feature, firstUse]) => {
      const afterChurn = input.afterChurnUses.get(feature)
      const afterSignup = input.afterSignupUses.get(feature)
      const u = { n: 0, converted: 0 }
      for (const [uid, c] of candidates) {
        // The use that counts is the first from the day their free spell began: a first use in
        // the period before it (a visit before signing up) must not hide the uses after it.
        const first = firstUse.get(uid)
        const used = c.after_churn
          ? afterChurn?.get(uid)
          : first !== undefined && first >= c.from
            ? first
            : afterSignup?.get(uid)
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
