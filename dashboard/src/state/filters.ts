/**
 * The filter bar's logic: period, tier and device apply to every view. Pure functions over
 * UrlState so the rules are tested in node.
 */
import { isIsoDate, type Device, type PeriodPreset, type UrlState } from './url-state'

export const PERIOD_LABELS: Record<PeriodPreset | 'custom', string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '365d': 'Last 12 months',
  custom: 'Custom range',
}

/** Choosing a preset drops custom dates; choosing custom starts from the preset's span. */
export function withPeriod(
  s: UrlState,
  period: PeriodPreset | 'custom',
  today = utcToday(),
): UrlState {
  if (period !== 'custom') {
    const { from: _from, to: _to, ...rest } = s
    return { ...rest, period }
  }
  if (s.period === 'custom') return s
  const days = { '24h': 1, '7d': 7, '30d': 30, '90d': 90, '365d': 365 }[s.period]
  return { ...s, period: 'custom', from: addDays(today, -(days - 1)), to: today }
}

/** A custom range applies only when both ends are dates in order; otherwise nothing changes. */
export function withRange(s: UrlState, from: string, to: string): UrlState {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) return s
  return { ...s, period: 'custom', from, to }
}

export function withTier(s: UrlState, tier: string | undefined): UrlState {
  const { tier: _t, ...rest } = s
  return tier ? { ...rest, tier } : rest
}

export function withDevice(s: UrlState, device: Device | undefined): UrlState {
  const { device: _d, ...rest } = s
  return device ? { ...rest, device } : rest
}

/** The site's configured tiers, plus the one in the URL if it is not among them. */
export function tierOptions(configured: string[], current?: string): string[] {
  const seen = [...new Set(configured)]
  if (current && !seen.includes(current)) seen.push(current)
  return seen
}

/** One line that says what the numbers on screen cover: "Last 7 days · plus · mobile". */
export function describeFilters(s: UrlState): string {
  const period =
    s.period === 'custom' && s.from && s.to
      ? s.from === s.to
        ? s.from
        : `${s.from} – ${s.to}`
      : PERIOD_LABELS[s.period]
  return [period, s.tier, s.device].filter(Boolean).join(' · ')
}

export function hasFilters(s: UrlState): boolean {
  return !!(s.tier || s.device)
}

export function utcToday(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10)
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}
