/**
 * The value score (DESIGN §7.1): each component is min–max normalised across the features of
 * one tier, then weighted. A component a feature has no data for drops out of its sum and the
 * remaining weights renormalise: score = 100 · Σ wᵢ·nᵢ / Σ wᵢ over the components it has.
 */
export const VALUE_COMPONENTS = ['usage', 'time', 'revenue', 'satisfaction', 'retention'] as const
export type ValueComponent = (typeof VALUE_COMPONENTS)[number]
export type ValueWeights = Record<ValueComponent, number>
export type ComponentValues = Record<ValueComponent, number | null>

export const DEFAULT_VALUE_WEIGHTS: ValueWeights = {
  usage: 0.25,
  time: 0.1,
  revenue: 0.25,
  satisfaction: 0.2,
  retention: 0.2,
}

/**
 * (x − min) / (max − min) over the tier's features that have the component. When they all tie
 * there is nothing to rank: each gets 1, or 0 if the shared value is 0 or less.
 */
export function normalise(values: (number | null)[]): (number | null)[] {
  const present = values.filter((v): v is number => v !== null)
  const min = Math.min(...present)
  const max = Math.max(...present)
  return values.map((v) => {
    if (v === null) return null
    if (max === min) return v > 0 ? 1 : 0
    return (v - min) / (max - min)
  })
}

/** Scores 0–100 (one decimal) for the features of one tier; null when no component has data. */
export function valueScores(items: ComponentValues[], weights: ValueWeights): (number | null)[] {
  const normalised = Object.fromEntries(
    VALUE_COMPONENTS.map((c) => [c, normalise(items.map((item) => item[c]))]),
  ) as Record<ValueComponent, (number | null)[]>
  return items.map((_, i) => {
    let sum = 0
    let weight = 0
    for (const c of VALUE_COMPONENTS) {
      const n = normalised[c][i]
      if (n === null || !(weights[c] > 0)) continue
      sum += weights[c] * n
      weight += weights[c]
    }
    return weight > 0 ? Math.round((1000 * sum) / weight) / 10 : null
  })
}
