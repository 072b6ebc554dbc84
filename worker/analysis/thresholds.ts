/** Health thresholds from site config, with the defaults DESIGN §7.8 names. */
import type { SiteConfig } from '../schemas'
import type { HEALTH } from '../wire-lists'

export type Threshold = { warning: number; critical: number; direction: 'below' | 'above' }
export type Health = (typeof HEALTH)[number]

const SUCCESS: Threshold = { warning: 0.95, critical: 0.9, direction: 'below' }

export const DEFAULT_THRESHOLDS: ReadonlyMap<string, Threshold> = new Map([
  ['connection_success_rate', SUCCESS],
  ['success_rate_excl_user_errors', SUCCESS],
  ['connection_latency_p95_ms', { warning: 3000, critical: 6000, direction: 'above' }],
  ['error_rate', { warning: 0.02, critical: 0.05, direction: 'above' }],
  ['feature_success_rate', SUCCESS],
])

/**
 * The site's threshold for `name`, else the default. A site that set only
 * `connection_success_rate` has it apply to `success_rate_excl_user_errors` too.
 */
export function threshold(config: SiteConfig, name: string): Threshold | undefined {
  const own = new Map(Object.entries(config.thresholds))
  if (own.has(name)) return own.get(name)
  if (name === 'success_rate_excl_user_errors' && own.has('connection_success_rate')) {
    return own.get('connection_success_rate')
  }
  return DEFAULT_THRESHOLDS.get(name)
}

/** Every threshold that applies to the site: its own and the defaults it did not override. */
export function thresholdsOf(config: SiteConfig): Record<string, Threshold> {
  const names = new Set([...DEFAULT_THRESHOLDS.keys(), ...Object.keys(config.thresholds)])
  return Object.fromEntries([...names].map((n) => [n, threshold(config, n)!]))
}

export function statusOf(value: number, t: Threshold): 'ok' | 'warning' | 'critical' {
  const beyond = (limit: number) => (t.direction === 'below' ? value < limit : value > limit)
  return beyond(t.critical) ? 'critical' : beyond(t.warning) ? 'warning' : 'ok'
}

/**
 * DESIGN §7.8: below `minSample` observations a number is `insufficient_data`, never a guess;
 * otherwise judged against its threshold, and `ok` when it has none.
 */
export function healthOf(
  value: number | null,
  n: number,
  t: Threshold | undefined,
  minSample: number,
): Health {
  if (value === null || n < minSample) return 'insufficient_data'
  return t ? statusOf(value, t) : 'ok'
}

const ORDER: Health[] = ['critical', 'warning', 'ok', 'insufficient_data']

/** The worst of several statuses: critical > warning > ok > insufficient_data. */
export function worstOf(statuses: Health[]): Health {
  return ORDER.find((s) => statuses.includes(s)) ?? 'insufficient_data'
}
