/** Health thresholds from site config, with the defaults DESIGN §7.8 names. */
import type { SiteConfig } from '../../schemas'

export type Threshold = { warning: number; critical: number; direction: 'below' | 'above' }

export const DEFAULT_THRESHOLDS: Record<string, Threshold> = {
  connection_success_rate: { warning: 0.95, critical: 0.9, direction: 'below' },
  feature_success_rate: { warning: 0.95, critical: 0.9, direction: 'below' },
}

export function threshold(config: SiteConfig, name: string): Threshold {
  return config.thresholds[name] ?? DEFAULT_THRESHOLDS[name]
}

export function statusOf(value: number, t: Threshold): 'ok' | 'warning' | 'critical' {
  const beyond = (limit: number) => (t.direction === 'below' ? value < limit : value > limit)
  return beyond(t.critical) ? 'critical' : beyond(t.warning) ? 'warning' : 'ok'
}
