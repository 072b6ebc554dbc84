/**
 * Feature recommendations by association rules over co-usage (DESIGN §7.10). Among the users
 * of one tier, a rule A → B has
 *   support    = users of both / users,
 *   confidence = users of both / users of A,
 *   lift       = confidence / (users of B / users).
 * Rules count only with support ≥ 1%, at least 30 users of A (n) and lift > 1.2. For a user,
 * each feature B they have not used scores the best lift over the features A they use, times
 * B's upgrade lift (1 when unknown); the top three are recommended.
 */
export type Rule = { from: string; to: string; support: number; lift: number; n: number }

export const RULE_LIMITS = { minSupport: 0.01, minN: 30, minLift: 1.2 }

/** Every rule that passes the limits, from each user's set of used features. */
export function associationRules(users: Set<string>[]): Rule[] {
  const total = users.length
  if (total === 0) return []
  const single = new Map<string, number>()
  const pair = new Map<string, Map<string, number>>()
  for (const used of users) {
    for (const a of used) {
      single.set(a, (single.get(a) ?? 0) + 1)
      let row = pair.get(a)
      if (!row) pair.set(a, (row = new Map()))
      for (const b of used) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1)
    }
  }
  const rules: Rule[] = []
  for (const [a, row] of pair) {
    const nA = single.get(a)!
    if (nA < RULE_LIMITS.minN) continue
    for (const [b, both] of row) {
      const support = both / total
      const lift = both / nA / (single.get(b)! / total)
      if (support >= RULE_LIMITS.minSupport && lift > RULE_LIMITS.minLift) {
        rules.push({ from: a, to: b, support, lift, n: nA })
      }
    }
  }
  return rules
}

export type Recommendation = { feature: string; lift: number; because: string; score: number }

export function recommend(
  used: Set<string>,
  rules: Rule[],
  upgradeLift: ReadonlyMap<string, number> = new Map(),
  n = 3,
): Recommendation[] {
  const best = new Map<string, Rule>()
  for (const r of rules) {
    if (!used.has(r.from) || used.has(r.to)) continue
    const seen = best.get(r.to)
    if (!seen || r.lift > seen.lift) best.set(r.to, r)
  }
  return [...best.values()]
    .map((r) => ({
      feature: r.to,
      lift: r.lift,
      because: r.from,
      score: r.lift * (upgradeLift.get(r.to) ?? 1),
    }))
    .sort((a, b) => b.score - a.score || a.feature.localeCompare(b.feature))
    .slice(0, n)
}
