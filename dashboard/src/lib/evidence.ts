/**
 * An opportunity's `evidence` is an open record of the numbers behind it (DESIGN §7.7). The
 * key says what a number is: rates and shares (0..1) as percentages, `_s` / `_ms` as
 * durations, revenue and prices as money, ratios as ×. Strings stay text. Pure.
 */
import {
  formatCount,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  humanize,
} from './format'

export type EvidenceLine = { key: string; label: string; value: string }

export function formatEvidenceValue(key: string, value: unknown, currency = 'USD'): string {
  if (typeof value === 'number') {
    if (/(_|^)(rate|share|adoption)(_|$)|_threshold$/.test(key) && Math.abs(value) <= 1) {
      return formatPercent(value)
    }
    if (/_ms$/.test(key)) return formatDuration(value / 1000)
    if (/(_|^)s$|_s$|seconds|duration/.test(key)) return formatDuration(value)
    if (/revenue|price|arpu|amount/.test(key)) return formatMoney(value, currency)
    if (/_to_|ratio|lift/.test(key)) return `${formatNumber(value, 2)}×`
    return Number.isInteger(value) ? formatCount(value) : formatNumber(value, 2)
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  if (Array.isArray(value))
    return value.map((v) => formatEvidenceValue(key, v, currency)).join(', ')
  return JSON.stringify(value)
}

/** The lines to show, in the order the API gave them; empty values are left out. */
export function evidenceLines(evidence: Record<string, unknown>, currency = 'USD'): EvidenceLine[] {
  return Object.entries(evidence)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v]) => ({
      key,
      label: humanize(key),
      value: formatEvidenceValue(key, v, currency),
    }))
}
