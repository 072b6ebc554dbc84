/**
 * A churn factor in words. Each factor is the model's coefficient × (the user's value − the
 * mean), in log-odds, so a user's factors and the intercept add up to their score (DESIGN
 * §7.10): positive pushes towards churn, negative away from it.
 */
import { humanize, NONE } from './format'

export type Factor = { feature: string; contribution: number }

/** +0.42 → "+0.42", −0.3 → "−0.30": signed, two decimals, a true minus sign. */
export function formatContribution(c: number | null | undefined): string {
  if (c === null || c === undefined || !Number.isFinite(c)) return NONE
  const r = Math.round(c * 100) / 100
  const sign = r > 0 ? '+' : r < 0 ? '−' : ''
  return `${sign}${Math.abs(r).toFixed(2)}`
}

/** "Activity trend raises risk (+0.42)", "Tenure lowers risk (−0.30)". */
export function factorPhrase(f: Factor): string {
  const verb = f.contribution > 0 ? 'raises' : f.contribution < 0 ? 'lowers' : 'does not move'
  return `${humanize(f.feature)} ${verb} risk (${formatContribution(f.contribution)})`
}

/** Bar width of a factor relative to the largest one shown, 0–1. */
export function factorShare(f: Factor, all: readonly Factor[]): number {
  const max = Math.max(0, ...all.map((x) => Math.abs(x.contribution)))
  return max > 0 ? Math.abs(f.contribution) / max : 0
}
