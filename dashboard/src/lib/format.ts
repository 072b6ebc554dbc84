/**
 * How numbers look on screen. Fixed to en-US so a screenshot, a test and a colleague's
 * browser all show the same text. Missing values (null, undefined, NaN) render as an en dash.
 */

export const NONE = '–'

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

function missing(n: number | null | undefined): n is null | undefined {
  return n === null || n === undefined || !Number.isFinite(n)
}

/** Counts: 1,234 up to a million, then 1.2M. */
export function formatCount(n: number | null | undefined): string {
  if (missing(n)) return NONE
  return Math.abs(n) >= 1_000_000 ? compact.format(n) : integer.format(n)
}

/** A rate in 0..1 as a percentage with one decimal at most: 0.4251 → 42.5%. */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (missing(rate)) return NONE
  const scaled = Math.round(rate * 100 * 10 ** digits) / 10 ** digits
  return `${scaled.toFixed(digits).replace(/\.0+$/, '')}%`
}

/** A difference of rates (fractions) in percentage points, signed: 0.125 → +12.5 pp. */
export function formatPoints(diff: number | null | undefined): string {
  if (missing(diff)) return NONE
  const r = Math.round(diff * 1000) / 10
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(1).replace(/\.0$/, '')} pp`
}

/** Seconds as a short duration: 42s, 3m 20s, 1h 5m, 2d 3h. Sub-second values show as ms. */
export function formatDuration(seconds: number | null | undefined): string {
  if (missing(seconds)) return NONE
  const s = Math.abs(seconds)
  if (s === 0) return '0s'
  if (s < 1) return `${Math.round(s * 1000)}ms`
  if (s < 60) return `${Math.round(s * 10) / 10}s`.replace(/\.0s$/, 's')
  const total = Math.round(s)
  const d = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = total % 60
  if (d) return h ? `${d}d ${h}h` : `${d}d`
  if (h) return m ? `${h}h ${m}m` : `${h}h`
  return sec ? `${m}m ${sec}s` : `${m}m`
}

/** Money with the site's currency; whole units from 1,000 up. */
export function formatMoney(amount: number | null | undefined, currency = 'USD'): string {
  if (missing(amount)) return NONE
  const big = Math.abs(amount) >= 1000
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: big ? 0 : 2,
      minimumFractionDigits: big ? 0 : 2,
    }).format(amount)
  } catch {
    return `${integer.format(amount)} ${currency}`
  }
}

/** A 0–100 score as a whole number. */
export function formatScore(score: number | null | undefined): string {
  if (missing(score)) return NONE
  return integer.format(Math.round(score))
}

/** A plain number with up to `digits` decimals: ratings, ratios. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (missing(n)) return NONE
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(n)
}

/** Hours and minutes of an ISO time, in the reader's time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** A machine name as a label: account_linking → Account linking. Text only, never markup. */
export function humanize(name: string): string {
  const spaced = name.replace(/[_-]+/g, ' ').trim()
  return spaced ? spaced[0].toUpperCase() + spaced.slice(1) : name
}

/** An ISO date or ms epoch as "Mar 4" (UTC), or "Mar 4, 2025" outside the current year. */
export function formatDay(day: string | number, now = Date.now()): string {
  const d = typeof day === 'number' ? new Date(day) : new Date(`${day.slice(0, 10)}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) return String(day)
  const sameYear = d.getUTCFullYear() === new Date(now).getUTCFullYear()
  return d.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
    ...(sameYear ? {} : { year: 'numeric' }),
  })
}

/** A share 0..1 to a bar width for CSSOM (`el.style.width`), clamped to 0–100%. */
export function barWidth(share: number | null | undefined): string {
  if (missing(share) || share <= 0) return '0%'
  return `${Math.min(100, share * 100).toFixed(1)}%`
}

/** Milliseconds as they were measured: 6136 → 6,136 ms. */
export function formatMs(ms: number | null | undefined): string {
  if (missing(ms)) return NONE
  return `${integer.format(ms)} ms`
}

/** A 95% interval of rates: [0.898, 0.954] → 89.8–95.4%. */
export function formatInterval(interval: readonly [number, number] | null | undefined): string {
  if (!interval) return NONE
  return `${formatPercent(interval[0]).replace('%', '')}–${formatPercent(interval[1])}`
}

/** The UTC hour of an ISO time or ms epoch: 14:00. */
export function formatHour(t: string | number): string {
  const d = new Date(t)
  if (Number.isNaN(d.getTime())) return String(t)
  return d.toISOString().slice(11, 16)
}

/** A moment as "Mar 4, 14:05 UTC" (with the year outside the current one). */
export function formatDateTime(t: string | number, now = Date.now()): string {
  const d = new Date(t)
  if (Number.isNaN(d.getTime())) return String(t)
  return `${formatDay(d.getTime(), now)}, ${formatHour(d.getTime())} UTC`
}
