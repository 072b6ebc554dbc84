/**
 * What recommendations need, learnt at training time and stored with the model (DESIGN §7.10):
 * association rules over co-usage per tier (association.ts), each feature's upgrade lift, and
 * the hit-rate@3 the model card reports: rules learnt before a cut, judged on the features
 * users first used after it.
 */
import { associationRules, recommend, type Rule } from './association'

/** Pairs, not objects: tiers and features are the site's strings, stored as JSON. */
export type RuleSet = {
  /** [tier, its rules (at most MAX_RULES_PER_TIER, by lift)] */
  tiers: [string, Rule[]][]
  /** [feature, upgrade rate of its users / upgrade rate of everyone] for features with ≥ 30 users */
  upgrade_lift: [string, number][]
}

const MAX_RULES_PER_TIER = 200
const MIN_FEATURE_USERS = 30

export type UsageRow = { tier: string; features: string[]; upgraded: boolean }

export function learnRules(users: UsageRow[]): RuleSet {
  const byTier = new Map<string, Set<string>[]>()
  for (const u of users) {
    const sets = byTier.get(u.tier) ?? []
    sets.push(new Set(u.features))
    byTier.set(u.tier, sets)
  }
  const tiers: [string, Rule[]][] = [...byTier].map(([tier, sets]) => [
    tier,
    associationRules(sets)
      .sort((a, b) => b.lift - a.lift || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
      .slice(0, MAX_RULES_PER_TIER),
  ])
  const upgrade_lift: [string, number][] = []
  const rate = users.filter((u) => u.upgraded).length / (users.length || 1)
  if (rate > 0) {
    const using = new Map<string, { n: number; up: number }>()
    for (const u of users) {
      for (const f of u.features) {
        const c = using.get(f) ?? { n: 0, up: 0 }
        c.n++
        if (u.upgraded) c.up++
        using.set(f, c)
      }
    }
    for (const [f, c] of using) {
      if (c.n >= MIN_FEATURE_USERS) upgrade_lift.push([f, c.up / c.n / rate])
    }
  }
  return { tiers, upgrade_lift }
}

const rulesOf = (rules: RuleSet, tier: string) => rules.tiers.find(([t]) => t === tier)?.[1] ?? []

export function recommendFor(rules: RuleSet, tier: string, used: Set<string>) {
  return recommend(used, rulesOf(rules, tier), new Map(rules.upgrade_lift))
}

/**
 * Hit-rate@3: among users who first used a feature after the cut and were recommended
 * something, the share with one of those first uses among their three recommendations.
 */
export function hitRateAt3(
  rules: RuleSet,
  users: { tier: string; before: Set<string>; after: Set<string> }[],
): { hit_rate_at_3: number | null; n: number } {
  let n = 0
  let hits = 0
  for (const u of users) {
    const fresh = [...u.after].filter((f) => !u.before.has(f))
    if (!fresh.length) continue
    const recs = recommend(u.before, rulesOf(rules, u.tier))
    if (!recs.length) continue
    n++
    if (recs.some((r) => fresh.includes(r.feature))) hits++
  }
  return { hit_rate_at_3: n ? hits / n : null, n }
}
