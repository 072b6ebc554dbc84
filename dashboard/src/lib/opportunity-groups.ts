/**
 * How the Opportunities view lays out a ranked list: the top ones (marked by the API, its
 * `top_rule`), then the rest grouped by kind, a group in order of its best-ranked member; or,
 * with a kind chosen, that kind alone. Ranks are places in the whole list (1 = first).
 */
export type Ranked<T> = { op: T; rank: number }
export type Group<T> = { kind: string; items: Ranked<T>[]; revenue_per_month: number }

type Op = { kind: string; top?: boolean; improvement_potential: { revenue_per_month: number } }

export function layoutOpportunities<T extends Op>(list: T[], kind?: string) {
  const ranked = list.map((op, i) => ({ op, rank: i + 1 }))
  const kinds = new Map<string, number>()
  for (const { op } of ranked) kinds.set(op.kind, (kinds.get(op.kind) ?? 0) + 1)
  if (kind && kinds.has(kind)) {
    return { kinds, top: ranked.filter((r) => r.op.kind === kind), groups: [] as Group<T>[] }
  }
  const top = ranked.filter((r) => r.op.top)
  const groups = new Map<string, Group<T>>()
  for (const r of ranked) {
    if (r.op.top) continue
    const g = groups.get(r.op.kind) ?? { kind: r.op.kind, items: [], revenue_per_month: 0 }
    g.items.push(r)
    g.revenue_per_month += r.op.improvement_potential.revenue_per_month
    groups.set(r.op.kind, g)
  }
  return { kinds, top, groups: [...groups.values()] }
}
