import { describe, expect, it } from 'vitest'
import {
  barWidth,
  formatCount,
  formatDay,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPoints,
  formatScore,
  humanize,
  NONE,
} from '../../dashboard/src/lib/format'
import { evidenceLines, formatEvidenceValue } from '../../dashboard/src/lib/evidence'

const HOSTILE = '<img src=x onerror=alert(1)>'

describe('dashboard formatting', () => {
  it('groups counts with commas and shortens millions', () => {
    expect(formatCount(0)).toBe('0')
    expect(formatCount(1234)).toBe('1,234')
    expect(formatCount(2_450_000)).toBe('2.5M')
  })

  it('shows a rate as a percentage with at most one decimal', () => {
    expect(formatPercent(0.4251)).toBe('42.5%')
    expect(formatPercent(1)).toBe('100%')
    expect(formatPercent(0)).toBe('0%')
    expect(formatPercent(0.12345, 2)).toBe('12.35%')
  })

  it('signs a difference of rates (fractions) in percentage points', () => {
    expect(formatPoints(0.1246)).toBe('+12.5 pp')
    expect(formatPoints(-0.03)).toBe('−3 pp')
    expect(formatPoints(-0.6667)).toBe('−66.7 pp')
    expect(formatPoints(0)).toBe('0 pp')
    expect(formatPoints(null)).toBe(NONE)
  })

  it('writes durations the short way', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(0.25)).toBe('250ms')
    expect(formatDuration(42)).toBe('42s')
    expect(formatDuration(4.56)).toBe('4.6s')
    expect(formatDuration(200)).toBe('3m 20s')
    expect(formatDuration(180)).toBe('3m')
    expect(formatDuration(3900)).toBe('1h 5m')
    expect(formatDuration(2 * 86400 + 3 * 3600)).toBe('2d 3h')
  })

  it('formats money in the site currency, whole units from 1,000', () => {
    expect(formatMoney(9.99)).toBe('$9.99')
    expect(formatMoney(12345.6)).toBe('$12,346')
    expect(formatMoney(5, 'EUR')).toBe('€5.00')
  })

  it('shows a dash for missing values instead of NaN or 0', () => {
    for (const f of [formatCount, formatPercent, formatDuration, formatMoney, formatScore]) {
      expect(f(null)).toBe(NONE)
      expect(f(undefined)).toBe(NONE)
      expect(f(Number.NaN)).toBe(NONE)
    }
  })

  it('rounds scores to whole numbers', () => {
    expect(formatScore(72.6)).toBe('73')
  })

  it('turns machine names into labels without touching markup characters', () => {
    expect(humanize('account_linking')).toBe('Account linking')
    expect(humanize('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>')
  })

  it('formats days in UTC and adds the year only when it differs', () => {
    const now = Date.parse('2026-06-15T12:00:00Z')
    expect(formatDay('2026-03-04', now)).toBe('Mar 4')
    expect(formatDay('2025-12-31', now)).toBe('Dec 31, 2025')
  })

  it('clamps bar widths to 0–100%', () => {
    expect(barWidth(0.5)).toBe('50.0%')
    expect(barWidth(1.7)).toBe('100.0%')
    expect(barWidth(-1)).toBe('0%')
    expect(barWidth(null)).toBe('0%')
  })
})

describe('dashboard opportunity evidence', () => {
  it('formats each number by what its key says it is', () => {
    const lines = evidenceLines({
      workflow: 'account_linking',
      drop_rate: 0.4215,
      top_reason_share: 0.8,
      warning_threshold: 0.95,
      median_s: 95,
      mean_latency_ms: 6400,
      revenue_at_risk: 1234.5,
      p90_to_median_step: 2.456,
      entered: 1200,
      benchmark_satisfaction: 4.25,
      top_institution: null,
    })
    expect(Object.fromEntries(lines.map((l) => [l.key, l.value]))).toEqual({
      workflow: 'account_linking',
      drop_rate: '42.2%',
      top_reason_share: '80%',
      warning_threshold: '95%',
      median_s: '1m 35s',
      mean_latency_ms: '6.4s',
      revenue_at_risk: '$1,235',
      p90_to_median_step: '2.46×',
      entered: '1,200',
      benchmark_satisfaction: '4.25',
    })
    expect(lines[0].label).toBe('Workflow')
  })

  it('keeps strings from events as they are', () => {
    expect(formatEvidenceValue('tier', HOSTILE)).toBe(HOSTILE)
  })
})
