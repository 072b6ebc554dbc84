/**
 * A forecast's honesty in words (DESIGN §7.10): how the method did on the days it held out
 * (MASE against seasonal-naive, the bands' observed coverage), and when an institution's trend
 * crosses a threshold, counted from today. The API counts crossings in days after `as_of`, the
 * last whole day (yesterday), so "in 1 day" there is today here.
 */
import type { SeriesForecast, ThresholdHeading } from '../api/types'
import { formatDay, formatNumber, formatPercent, humanize } from './format'

const DAY_MS = 86_400_000
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
const days = (n: number) => (n === 1 ? '1 day' : `${n} days`)

const METHOD: Record<Extract<SeriesForecast, { status: 'ok' }>['method'], string> = {
  holt_winters: 'Holt–Winters with a weekly season',
  damped_holt: 'Damped Holt (trend, no season: under 8 weeks of history)',
}

/** "Holt–Winters …. On the last 22 days, held out: MASE 0.88 against seasonal-naive's 1.12 …" */
export function holdoutSentence(s: Extract<SeriesForecast, { status: 'ok' }>): string {
  const h = s.holdout
  const mase =
    h.mase === null
      ? 'no MASE (seasonal-naive made no error in-sample)'
      : `MASE ${formatNumber(h.mase)} against seasonal-naive's ${formatNumber(h.naive_mase)} (lower is better)`
  return (
    `${METHOD[s.method]}. On the last ${days(h.holdout_days)}, held out: ${mase}; ` +
    `the 80% band held ${formatPercent(h.coverage_80, 0)} of the days, the 95% band ${formatPercent(h.coverage_95, 0)}.`
  )
}

/**
 * "crosses critical in 3–6 days", "… in 4 days", "… today", "… within 4 days", "… in 2 days or
 * more (its 80% interval runs past the horizon)". `today` is the viewer's UTC date.
 */
export function crossingPhrase(h: ThresholdHeading, asOf: string, today: string): string {
  const gap = dayNumber(today) - dayNumber(asOf)
  const lo = Math.max(0, h.in_days_80[0] - gap)
  const hi = h.in_days_80[1] === null ? null : Math.max(0, h.in_days_80[1] - gap)
  const when =
    hi === null
      ? `${lo === 0 ? 'any day from today' : `in ${days(lo)} or more`} (its 80% interval runs past the horizon)`
      : lo === hi
        ? lo === 0
          ? 'today'
          : `in ${days(lo)}`
        : lo === 0
          ? `within ${days(hi)}`
          : `in ${lo}–${days(hi)}`
  return `crosses ${h.level} ${when}`
}

/** "Pinecrest savings: error rate crosses critical in 3–6 days; likeliest Dec 17." */
export function headingSentence(h: ThresholdHeading, asOf: string, today: string): string {
  const what = `${humanize(h.institution)}: ${humanize(h.metric).toLowerCase()}`
  return `${what} ${crossingPhrase(h, asOf, today)}; likeliest ${formatDay(h.date)}.`
}
