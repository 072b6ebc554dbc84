/**
 * What the Revenue view says about numbers (DESIGN §7.9): the five MRR movements in
 * ChartMogul's order, and how a lever's evidence reads — rates and differences as percentages
 * and points, MRR and values as money, counts as counts. Pure, so node tests use it too.
 */
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  humanize,
} from './format'

export const MOVEMENTS = ['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const
export type Movement = (typeof MOVEMENTS)[number]

/** A difference's 95% interval in points: [0.061, 0.179] → "+6.1 to +17.9 pp". */
export function formatPointsInterval(i: readonly [number, number] | null | undefined): string {
  if (!i) return '–'
  return `${formatPoints(i[0]).replace(' pp', '')} to ${formatPoints(i[1])}`
}

/** Why a feature's conversion difference has no number, or null when it has one. */
export function conversionGap(f: {
  users: { n: number }
  non_users: { n: number }
  difference: number | null
}): string | null {
  if (f.difference !== null) return null
  if (!f.users.n) return 'no free user used it'
  if (!f.non_users.n) return 'every free user used it: no one to compare with'
  return 'no data'
}

export function formatLeverEvidence(key: string, value: unknown, currency: string): string {
  if (value === null || value === undefined) return '–'
  if (Array.isArray(value)) return formatPointsInterval(value as [number, number])
  if (typeof value !== 'number') return String(value)
  if (key === 'difference') return formatPoints(value)
  if (/(_|^)rate(_|$)/.test(key)) return formatPercent(value)
  if (/mrr|value/.test(key)) return formatMoney(value, currency)
  if (key === 'lift') return `${formatNumber(value, 2)}×`
  return Number.isInteger(value) ? formatCount(value) : formatNumber(value, 2)
}

export function leverEvidenceLines(evidence: Record<string, unknown>, currency: string) {
  return Object.entries(evidence).map(([key, value]) => ({
    key,
    label: humanize(key),
    value: formatLeverEvidence(key, value, currency),
  }))
}
