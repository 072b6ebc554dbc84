/**
 * How health and alert states look: a tone (the badge colour), a label, an order for sorting
 * worst first, and a metric's value in its unit. Pure, tested in node.
 */
import type { AlertState, Health, Threshold } from '../api/types'
import { formatDuration, formatMs, formatPercent } from './format'

export type Tone = 'critical' | 'high' | 'good' | 'low'

const HEALTH: Record<Health, { tone: Tone; label: string; rank: number }> = {
  critical: { tone: 'critical', label: 'Critical', rank: 3 },
  warning: { tone: 'high', label: 'Warning', rank: 2 },
  ok: { tone: 'good', label: 'OK', rank: 1 },
  insufficient_data: { tone: 'low', label: 'Too few data', rank: 0 },
}

const ALERT: Record<AlertState, { tone: Tone; label: string; rank: number }> = {
  firing: { tone: 'critical', label: 'Firing', rank: 4 },
  pending: { tone: 'high', label: 'Pending', rank: 3 },
  resolved: { tone: 'good', label: 'Resolved', rank: 2 },
  ok: { tone: 'good', label: 'OK', rank: 1 },
  no_data: { tone: 'low', label: 'No data', rank: 0 },
}

export const healthTone = (h: Health): Tone => HEALTH[h]?.tone ?? 'low'
export const healthLabel = (h: Health): string => HEALTH[h]?.label ?? h
/** Higher is worse: sorting descending puts critical first and too-few-data last. */
export const healthRank = (h: Health): number => HEALTH[h]?.rank ?? -1

export const alertTone = (s: AlertState): Tone => ALERT[s]?.tone ?? 'low'
export const alertLabel = (s: AlertState): string => ALERT[s]?.label ?? s
export const alertRank = (s: AlertState): number => ALERT[s]?.rank ?? -1

/**
 * A §7.8 number in its unit (DESIGN §10): `_ms` latencies in milliseconds, `_s` seconds,
 * rates (every other alert metric) as percentages.
 */
export function formatMetric(metric: string, v: number | null | undefined): string {
  if (metric.endsWith('_ms')) return formatMs(v)
  if (metric.endsWith('_s')) return formatDuration(v)
  return formatPercent(v)
}

const LINE_COLOR = { warning: '#d9822b', critical: '#c23b4b' } as const

/** The warning and critical lines of a threshold, for a chart of `metric`. */
export function thresholdLines(metric: string, t: Threshold | undefined) {
  if (!t) return []
  return (['warning', 'critical'] as const).map((level) => ({
    label: `${level === 'warning' ? 'Warning' : 'Critical'} (${formatMetric(metric, t[level])})`,
    value: t[level],
    color: LINE_COLOR[level],
  }))
}
