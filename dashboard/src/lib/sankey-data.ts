/**
 * Journey transitions (DESIGN §7.4) to a Sankey graph. A Sankey must be acyclic, and people
 * do move back (feature_usage → feature_discovery), so moves against the stage order are
 * counted apart and listed beside the chart instead of drawn.
 */

export type Transition = { from: string; to: string; count: number }
export type SankeyInput = {
  nodes: { name: string }[]
  links: { source: number; target: number; value: number }[]
  backward: Transition[]
}

export function sankeyInput(transitions: Transition[], order: readonly string[]): SankeyInput {
  const rank = (s: string) => {
    const i = order.indexOf(s)
    return i < 0 ? order.length : i
  }
  const forward: Transition[] = []
  const backward: Transition[] = []
  for (const t of transitions) {
    if (t.count <= 0 || t.from === t.to) continue
    if (rank(t.to) > rank(t.from) || (t.to === 'churn' && t.from !== 'churn')) forward.push(t)
    else backward.push(t)
  }
  const names = [...new Set(forward.flatMap((t) => [t.from, t.to]))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  )
  const index = new Map(names.map((n, i) => [n, i]))
  return {
    nodes: names.map((name) => ({ name })),
    links: forward.map((t) => ({
      source: index.get(t.from)!,
      target: index.get(t.to)!,
      value: t.count,
    })),
    backward: backward.sort((a, b) => b.count - a.count),
  }
}
