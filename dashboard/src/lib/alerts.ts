/** How alert rules, scopes and deliveries read on screen. Pure, tested in node. */
import type { AlertRuleState, AlertSeries, Delivery } from '../api/types'
import { formatCount } from './format'
import { formatMetric, type Tone } from './health'

type Scope = { institution?: string; feature?: string }

/** "institution northwind · feature budgeting"; `*` is each one on its own; none the site. */
export function scopeText(scope: Scope): string {
  const parts = (['institution', 'feature'] as const)
    .filter((k) => scope[k])
    .map((k) => (scope[k] === '*' ? `each ${k}` : `${k} ${scope[k]}`))
  return parts.length ? parts.join(' · ') : 'whole site'
}

/** "70.3% below 90%": the last value, the condition and the threshold, in the metric's unit. */
export function valueText(rule: AlertRuleState, s: AlertSeries): string {
  const limit = `${rule.condition} ${formatMetric(rule.metric, s.threshold)}`
  return `${formatMetric(rule.metric, s.value)} · ${limit}`
}

/** The window's observations, and the minimum below which the state is `no_data`. */
export function sampleText(rule: AlertRuleState, s: AlertSeries): string {
  return s.n < rule.min_sample
    ? `${formatCount(s.n)} of ${formatCount(rule.min_sample)}`
    : formatCount(s.n)
}

/** A rule's rows: one per series it has evaluated, or one placeholder before the first. */
export type RuleRow = { rule: AlertRuleState; series: AlertSeries | null; key: string }

export function ruleRows(rules: readonly AlertRuleState[]): RuleRow[] {
  return rules.flatMap((rule): RuleRow[] =>
    rule.series.length
      ? rule.series.map((s) => ({ rule, series: s, key: `${rule.id}\n${s.series}` }))
      : [{ rule, series: null, key: `${rule.id}\n` }],
  )
}

/** The last attempt's answer: "HTTP 200", its error, or a dash before the first attempt. */
export function lastAnswer(d: Delivery): string {
  const last = d.attempts_log.reduce<Delivery['attempts_log'][number] | undefined>(
    (a, b) => (!a || b.attempt > a.attempt ? b : a),
    undefined,
  )
  if (!last) return '–'
  if (last.error) return last.status_code ? `HTTP ${last.status_code}: ${last.error}` : last.error
  return last.status_code === null ? '–' : `HTTP ${last.status_code}`
}

export const DELIVERY_TYPE: Record<Delivery['type'], string> = {
  'alert.firing': 'Firing',
  'alert.resolved': 'Resolved',
  test: 'Test',
}

export const DELIVERY_TONE: Record<Delivery['status'], Tone> = {
  delivered: 'good',
  pending: 'high',
  failed: 'critical',
}

/** One delivery in a sentence: "Test message msg_… delivered after 1 attempt, HTTP 200." */
export function deliverySummary(d: Delivery): string {
  const attempts = `${formatCount(d.attempts)} attempt${d.attempts === 1 ? '' : 's'}`
  return `${DELIVERY_TYPE[d.type]} message ${d.id} ${d.status} after ${attempts}, ${lastAnswer(d)}.`
}
