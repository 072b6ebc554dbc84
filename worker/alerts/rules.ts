/**
 * The alert rules a site has (DESIGN §9): config `alerts`, or — when it sets none — the
 * defaults from its §7.8 thresholds: connection success and latency p95 of every institution on
 * its own, and the site's error rate, each at the critical threshold over the last hour.
 */
import { threshold } from '../analysis/thresholds'
import { durationSeconds, type AlertRule, type SiteConfig } from '../schemas'

/** A rule with everything filled in that evaluation needs. */
export type EffectiveRule = AlertRule & {
  condition: 'below' | 'above'
  /** The number the value is compared with. */
  limit: number
  min_sample: number
  window_ms: number
  repeat_ms: number
  default: boolean
}

const DEFAULT_RULES: AlertRule[] = [
  {
    id: 'connection_success_rate',
    metric: 'connection_success_rate',
    scope: { institution: '*' },
    use_thresholds: 'critical',
    window: '1h',
    pending_evaluations: 2,
    repeat_every: '4h',
  },
  {
    id: 'connection_latency_p95_ms',
    metric: 'connection_latency_p95_ms',
    scope: { institution: '*' },
    use_thresholds: 'critical',
    window: '1h',
    pending_evaluations: 2,
    repeat_every: '4h',
  },
  {
    id: 'error_rate',
    metric: 'error_rate',
    scope: {},
    use_thresholds: 'critical',
    window: '1h',
    pending_evaluations: 2,
    repeat_every: '4h',
  },
]

export function effectiveRules(config: SiteConfig): EffectiveRule[] {
  const own = config.alerts
  return (own ?? DEFAULT_RULES).map((rule) => {
    const t = threshold(config, rule.metric)!
    const limit = rule.threshold ?? t[rule.use_thresholds ?? 'critical']
    return {
      ...rule,
      condition: rule.condition ?? t.direction,
      limit,
      use_thresholds:
        rule.threshold === undefined ? (rule.use_thresholds ?? 'critical') : undefined,
      min_sample: rule.min_sample ?? config.min_sample,
      window_ms: durationSeconds(rule.window)! * 1000,
      repeat_ms: durationSeconds(rule.repeat_every)! * 1000,
      default: own === undefined,
    }
  })
}
