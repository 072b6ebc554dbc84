import { describe, expect, it } from 'vitest'
import type { AlertRuleState, AlertSeries, Delivery } from '../../dashboard/src/api/types'
import {
  deliverySummary,
  lastAnswer,
  ruleRows,
  sampleText,
  scopeText,
  valueText,
} from '../../dashboard/src/lib/alerts'
import {
  formatDateTime,
  formatHour,
  formatInterval,
  formatMs,
} from '../../dashboard/src/lib/format'
import {
  formatMetric,
  healthLabel,
  healthRank,
  thresholdLines,
} from '../../dashboard/src/lib/health'
import { freshnessText, splitText } from '../../dashboard/src/lib/performance'

const series = (over: Partial<AlertSeries> = {}): AlertSeries => ({
  series: 'institution=northwind',
  scope: { institution: 'northwind' },
  state: 'firing',
  since: '2026-03-04T14:05:00Z',
  value: 0.8,
  n: 40,
  interval: [0.7, 0.9],
  threshold: 0.9,
  evaluated_at: '2026-03-04T15:00:00Z',
  ...over,
})

const rule = (over: Partial<AlertRuleState> = {}): AlertRuleState => ({
  id: 'bank_success',
  metric: 'connection_success_rate',
  scope: { institution: '*' },
  condition: 'below',
  threshold: 0.9,
  use_thresholds: 'critical',
  window: '1h',
  min_sample: 30,
  pending_evaluations: 2,
  repeat_every: '4h',
  default: false,
  snoozed_until: null,
  series: [series()],
  ...over,
})

const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  id: 'msg_1',
  type: 'test',
  rule_id: null,
  series: null,
  created_at: '2026-03-04T14:05:00Z',
  status: 'delivered',
  attempts: 1,
  next_attempt_at: null,
  body: { type: 'test' },
  attempts_log: [
    {
      attempt: 1,
      started_at: '2026-03-04T14:05:00Z',
      url: 'https://hooks.example/x',
      status_code: 200,
      error: null,
      duration_ms: 40,
    },
  ],
  ...over,
})

describe('performance and alert formatting', () => {
  it('writes milliseconds, intervals and UTC times the dashboard way', () => {
    expect(formatMs(6136)).toBe('6,136 ms')
    expect(formatMs(null)).toBe('–')
    expect(formatInterval([0.8981, 0.9542])).toBe('89.8–95.4%')
    expect(formatInterval(null)).toBe('–')
    expect(formatHour('2026-03-04T14:05:00Z')).toBe('14:05')
    const now = Date.parse('2026-06-01T00:00:00Z')
    expect(formatDateTime('2026-03-04T14:05:00Z', now)).toBe('Mar 4, 14:05 UTC')
  })

  it('ranks health so that sorting descending puts critical first and too few data last', () => {
    const order = (['ok', 'insufficient_data', 'critical', 'warning'] as const)
      .slice()
      .sort((a, b) => healthRank(b) - healthRank(a))
    expect(order).toEqual(['critical', 'warning', 'ok', 'insufficient_data'])
    expect(healthLabel('insufficient_data')).toBe('Too few data')
  })

  it('shows a metric in its unit: rates as percentages, _ms as milliseconds', () => {
    expect(formatMetric('connection_success_rate', 0.875)).toBe('87.5%')
    expect(formatMetric('connection_latency_p95_ms', 6000)).toBe('6,000 ms')
    expect(formatMetric('error_rate', null)).toBe('–')
  })

  it('draws a warning and a critical line for a threshold, none without one', () => {
    const t = { warning: 0.95, critical: 0.9, direction: 'below' as const }
    expect(thresholdLines('connection_success_rate', t).map((l) => [l.label, l.value])).toEqual([
      ['Warning (95%)', 0.95],
      ['Critical (90%)', 0.9],
    ])
    expect(thresholdLines('error_rate', undefined)).toEqual([])
  })

  it('names the error split parts that happened, in a fixed order', () => {
    const split = { success: 0.7, user: 0.02, institution: 0.28, aggregator: 0, app: 0, unknown: 0 }
    expect(splitText(split)).toBe('Success 70%, User 2%, Institution 28%')
  })

  it('writes freshness as p95 and the delayed and stopped shares', () => {
    const rate = (value: number) => ({ value, n: 10, interval: null, status: 'ok' as const })
    const freshness = {
      as_of: '',
      n: 10,
      p50_s: 60,
      p95_s: 90_000,
      delayed: rate(0.4),
      stopped: rate(0),
    }
    const sync = { successful_syncs: 1, connected_users: 1, syncs_per_user_day: 1, freshness }
    expect(freshnessText({ data_sync_frequency: sync })).toBe(
      'p95 1d 1h · 40% delayed · 0% stopped',
    )
    expect(freshnessText({ data_sync_frequency: null })).toBe('–')
  })

  it('says what a rule watches: one scope, each institution, or the whole site', () => {
    expect(scopeText({ institution: 'northwind' })).toBe('institution northwind')
    expect(scopeText({ institution: '*' })).toBe('each institution')
    expect(scopeText({})).toBe('whole site')
  })

  it('gives each series a row, and a rule not yet evaluated one placeholder', () => {
    const rows = ruleRows([rule(), rule({ id: 'quiet', series: [] })])
    expect(rows.map((r) => [r.rule.id, r.series?.series ?? null])).toEqual([
      ['bank_success', 'institution=northwind'],
      ['quiet', null],
    ])
  })

  it('puts the last value beside the condition and the threshold', () => {
    expect(valueText(rule(), series())).toBe('80% · below 90%')
  })

  it('shows how far a series is from the minimum sample', () => {
    expect(sampleText(rule(), series({ n: 8 }))).toBe('8 of 30')
    expect(sampleText(rule(), series({ n: 40 }))).toBe('40')
  })

  it('sums up a delivery by its latest attempt', () => {
    expect(deliverySummary(delivery())).toBe(
      'Test message msg_1 delivered after 1 attempt, HTTP 200.',
    )
    const failed = delivery({
      status: 'failed',
      attempts: 2,
      attempts_log: [
        { ...delivery().attempts_log[0], status_code: 500, error: 'server error' },
        { ...delivery().attempts_log[0], attempt: 2, status_code: null, error: 'timed out' },
      ],
    })
    expect(lastAnswer(failed)).toBe('timed out')
    expect(lastAnswer(delivery({ attempts: 0, attempts_log: [] }))).toBe('–')
  })
})
