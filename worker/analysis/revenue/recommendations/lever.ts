/**
 * A revenue lever (DESIGN §7.9, `GET …/revenue/recommendations`): something a product lead can
 * do, what it is worth a month in the site's currency, and the numbers it rests on. Levers are
 * ranked by `monthly_value`, largest first; equal values by kind and title, so the order is
 * stable.
 */
import { round } from '../../numbers'
import { stableId } from '../../stable-id'

export const LEVER_KINDS = ['feature_upsell', 'institution_failures', 'tier_churn'] as const
export type LeverKind = (typeof LEVER_KINDS)[number]

/** Evidence values: counts with their n, rates as fractions 0–1, null where there is no data. */
export type Evidence = Record<string, string | number | [number, number] | null>

export type Lever = {
  /** The same lever tomorrow has the same id: kind and subject (feature, institution, tier). */
  id: string
  kind: LeverKind
  /** The feature, institution or tier the lever is about. */
  subject: string
  title: string
  /** What to do and why, with the numbers, for a product lead. */
  sentence: string
  /** In the site's currency, per 30 days. */
  monthly_value: number
  evidence: Evidence
}

/** What every lever needs to know about the question asked. */
export type LeverContext = {
  currency: string
  /** Days the period covers: counts over the period become counts per 30 days. */
  days: number
  /** Below this many users in a group, a rate is not compared (DESIGN §7.8 `min_sample`). */
  minSample: number
}

export function lever(l: Omit<Lever, 'id'>): Lever {
  return {
    id: stableId('lever', `${l.kind}\u0000${l.subject}`),
    ...l,
    monthly_value: round(l.monthly_value, 2),
  }
}

export function rankLevers(levers: Lever[], limit: number): Lever[] {
  return [...levers]
    .sort(
      (a, b) =>
        b.monthly_value - a.monthly_value ||
        (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
        (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
    )
    .slice(0, limit)
}

/** A count over the period as a count per 30 days. */
export function monthly(count: number, days: number): number {
  return days > 0 ? (count * 30) / days : 0
}

/** Money for a sentence: `USD 1,234` (whole units; sentences round, evidence does not). */
export function money(amount: number, currency: string): string {
  return `${currency} ${Math.round(amount).toLocaleString('en-US')}`
}

export function pct(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)}%`
}

/** A difference of rates in percentage points, signed: `+12.0 pts`. */
export function points(diff: number): string {
  return `${diff >= 0 ? '+' : '−'}${Math.abs(diff * 100).toFixed(1)} pts`
}

export function rounded(interval: [number, number] | null): [number, number] | null {
  return interval && [round(interval[0], 4), round(interval[1], 4)]
}
