/**
 * How much each component adds to a feature's value score (DESIGN §7.1), so the bars can show
 * the score's make-up. Uses the worker's own normalisation, so the parts add up to the score
 * the API returns: part_c = 100 · w_c · n_c / Σ w over the components the feature has.
 */
import type { FeatureValue } from '../../../worker/analysis/feature-value'
import {
  normalise,
  VALUE_COMPONENTS,
  type ValueComponent,
  type ValueWeights,
} from '../../../worker/analysis/value-score'

export { VALUE_COMPONENTS, type ValueComponent }

export const COMPONENT_FIELD: Record<ValueComponent, keyof FeatureValue> = {
  usage: 'usage_count',
  time: 'time_spent_s',
  revenue: 'revenue_impact',
  satisfaction: 'satisfaction',
  retention: 'retention_impact',
}

export type ValueParts = Record<ValueComponent, number | null>

export function valueParts(
  features: Pick<
    FeatureValue,
    'usage_count' | 'time_spent_s' | 'revenue_impact' | 'satisfaction' | 'retention_impact'
  >[],
  weights: ValueWeights,
): ValueParts[] {
  const normalised = Object.fromEntries(
    VALUE_COMPONENTS.map((c) => [
      c,
      normalise(features.map((f) => f[COMPONENT_FIELD[c] as keyof typeof f] as number | null)),
    ]),
  ) as Record<ValueComponent, (number | null)[]>
  return features.map((_, i) => {
    const present = VALUE_COMPONENTS.filter((c) => normalised[c][i] !== null && weights[c] > 0)
    const total = present.reduce((s, c) => s + weights[c], 0)
    return Object.fromEntries(
      VALUE_COMPONENTS.map((c) => [
        c,
        present.includes(c) ? (100 * weights[c] * normalised[c][i]!) / total : null,
      ]),
    ) as ValueParts
  })
}
