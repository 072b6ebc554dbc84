/**
 * Journeys (DESIGN §7.4) to a Sankey graph. The chart draws `flow`, how far people got: a
 * stage's node is its `reached` from the stage table (the same people), each band the people
 * who went on to the next stage or churned. Transitions, moves between consecutive stage
 * events, can go back (feature_usage → feature_discovery); those are listed beside the chart.
 */

export type Transition = { from: string; to: string; count: number }
export type SankeyInput = {
  /** `value`, when given, is the node's size, whatever its bands add up to. */
  nodes: { name: string; value?: number }[]
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

export type Flow = { from: string; to: string; users: number }
export type StageReach = { stage: string; reached: number }

/** The Sankey of how far people got: one node per stage reached, sized by its reach. */
export function flowInput(flow: Flow[], stages: StageReach[]): SankeyInput {
  const nodes = stages.filter((s) => s.reached > 0)
  const index = new Map(nodes.map((s, i) => [s.stage, i]))
  const links = flow.filter((f) => f.users > 0 && index.has(f.from) && index.has(f.to))
  return {
    nodes: nodes.map((s) => ({ name: s.stage, value: s.reached })),
    links: links.map((f) => ({
      source: index.get(f.from)!,
      target: index.get(f.to)!,
      value: f.users,
    })),
    backward: [],
  }
}
