/**
 * Churn factors in words. Each factor is the model's coefficient × (the user's standardised
 * value − the mean), in log-odds, so the baseline, a user's factors and the rest add up to
 * their logit (DESIGN §7.10): positive pushes towards churn, negative away from it.
 */
import type { ChurnFactor } from '../api/types'
import { humanize, NONE } from './format'

/** The model's feature names as labels; a tier column is `tier:<name>`, the name as given. */
export function factorLabel(feature: string): string {
  if (feature.startsWith('tier:')) return `Tier ${feature.slice(5)}`
  if (feature === 'tenure_days') return 'Tenure (days)'
  return humanize(feature)
}

/** +0.42 → "+0.42", −0.3 → "−0.30": signed, two decimals, a true minus sign. */
export function formatContribution(c: number | null | undefined): string {
  if (c === null || c === undefined || !Number.isFinite(c)) return NONE
  const r = Math.round(c * 100) / 100
  const sign = r > 0 ? '+' : r < 0 ? '−' : ''
  return `${sign}${Math.abs(r).toFixed(2)}`
}

/** "Workflow failures raises risk (+0.42)", "Tenure (days) lowers risk (−0.30)". */
export function factorPhrase(f: ChurnFactor): string {
  const verb = f.contribution > 0 ? 'raises' : f.contribution < 0 ? 'lowers' : 'does not move'
  return `${factorLabel(f.feature)} ${verb} risk (${formatContribution(f.contribution)})`
}

/** Bar width of a factor relative to the largest one shown, 0–1. */
export function factorShare(f: ChurnFactor, all: readonly ChurnFactor[]): number {
  const max = Math.max(0, ...all.map((x) => Math.abs(x.contribution)))
  return max > 0 ? Math.abs(f.contribution) / max : 0
}
