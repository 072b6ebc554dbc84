/**
 * Additive factors of one prediction (DESIGN §7.10): each feature's contribution is
 * coefficient × (value − mean) on the standardised scale the model was fitted on. Since
 * standardised training features have mean 0, the logit is
 *   intercept + Σ_j w_j·z_j = baseline + Σ_j contribution_j,  baseline = intercept,
 * so the contributions add up exactly to (logit − baseline): the gap from an average user.
 */
export type Factor = { feature: string; value: number; contribution: number }

export function factorsOf(
  names: string[],
  weights: number[],
  raw: number[],
  means: number[],
  sds: number[],
): Factor[] {
  return names.map((feature, j) => ({
    feature,
    value: raw[j],
    contribution: (weights[j] * (raw[j] - means[j])) / sds[j],
  }))
}

/** The `n` factors that move the prediction most, largest |contribution| first. */
export function topFactors(factors: Factor[], n = 3): Factor[] {
  return [...factors]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, n)
}
