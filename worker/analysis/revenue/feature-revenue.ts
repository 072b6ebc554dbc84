/**
 * Feature revenue (DESIGN §7.9): the MRR added by upgrades whose user used a feature in the 14
 * days before, credited two ways.
 *
 * An upgrade: a day in the period on which a user's MRR rose through `subscription_started`
 * (free → paid, new or reactivation) or `subscription_upgraded` (expansion); its revenue is the
 * MRR it added (after − before). The window is the upgrade's day and the 14 days before it
 * (rollups hold days, so a use on the upgrade's day counts).
 * First-touch: the whole MRR to the feature first used in the window (ties shared equally).
 * Shared: the MRR split equally among every feature used in the window (a linear model).
 * Either way the features' credits add up to the attributed MRR; upgrades with no feature in
 * the window are `unattributed_mrr`.
 */
import { units } from './calendar'
import type { UserHistory } from './timeline'
import type { FeatureRevenue } from './types'

export const FEATURE_WINDOW_DAYS = 14

/** A feature used in the window of the user's upgrade on `day`, and the first day it was. */
export type WindowUse = { uid: string; day: string; feature: string; first_day: string }

export function featureRevenue(
  users: Iterable<UserHistory>,
  uses: WindowUse[],
  from: string,
  to: string,
): FeatureRevenue {
  const byUpgrade = new Map<string, Map<string, { feature: string; first_day: string }[]>>()
  for (const u of uses) {
    const days = byUpgrade.get(u.uid) ?? new Map()
    days.set(u.day, [...(days.get(u.day) ?? []), { feature: u.feature, first_day: u.first_day }])
    byUpgrade.set(u.uid, days)
  }
  const credit = new Map<string, { upgrades: number; first: number; shared: number }>()
  const of = (f: string) => {
    const c = credit.get(f) ?? { upgrades: 0, first: 0, shared: 0 }
    credit.set(f, c)
    return c
  }
  let upgrades = 0
  let total = 0
  let unattributed = 0
  for (const h of users) {
    for (const c of h.changes) {
      if (c.day < from || c.day > to || c.after <= c.before || !(c.started || c.upgraded)) continue
      const cents = c.after - c.before
      upgrades++
      total += cents
      const used = byUpgrade.get(h.uid)?.get(c.day) ?? []
      if (!used.length) {
        unattributed += cents
        continue
      }
      const earliest = used.reduce((m, u) => (u.first_day < m ? u.first_day : m), used[0].first_day)
      const firsts = used.filter((u) => u.first_day === earliest)
      for (const u of used) {
        const f = of(u.feature)
        f.upgrades++
        f.shared += cents / used.length
        if (u.first_day === earliest) f.first += cents / firsts.length
      }
    }
  }
  const features = [...credit]
    .map(([feature, c]) => ({
      feature,
      upgrades: c.upgrades,
      first_touch: units(c.first),
      shared: units(c.shared),
    }))
    .sort((a, b) => b.shared - a.shared || (a.feature < b.feature ? -1 : 1))
  return {
    window_days: FEATURE_WINDOW_DAYS,
    upgrades,
    upgrade_mrr: units(total),
    unattributed_mrr: units(unattributed),
    features,
  }
}
