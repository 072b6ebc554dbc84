import { describe, expect, it } from 'vitest'
import {
  apiQuery,
  formatUrlState,
  parseUrlState,
  switchView,
  type UrlState,
} from '../../dashboard/src/state/url-state'

describe('dashboard URL state', () => {
  it('opens the overview for the last 30 days by default', () => {
    expect(parseUrlState('/', '')).toEqual({ view: 'overview', period: '30d', params: {} })
    expect(formatUrlState(parseUrlState('/', ''))).toBe('/')
  })

  it('reads view, item, period and filters from the address', () => {
    const s = parseUrlState('/workflows/account_linking', '?period=7d&tier=plus&device=mobile')
    expect(s).toEqual({
      view: 'workflows',
      item: 'account_linking',
      period: '7d',
      tier: 'plus',
      device: 'mobile',
      params: {},
    })
  })

  it('round-trips every state through the URL', () => {
    const states: UrlState[] = [
      { view: 'features', period: '90d', tier: 'premium', params: { sort: '-value_score' } },
      { view: 'workflows', item: 'kyc check/2', period: '24h', device: 'tablet', params: {} },
      { view: 'retention', period: 'custom', from: '2026-01-01', to: '2026-01-31', params: {} },
      { view: 'overview', period: '30d', tier: '<img src=x onerror=alert(1)>', params: {} },
    ]
    for (const s of states) {
      const url = new URL(formatUrlState(s), 'https://stepwise.example')
      expect(parseUrlState(url.pathname, url.search)).toEqual(s)
    }
  })

  it('prefers a valid custom range over a preset and ignores a broken one', () => {
    expect(parseUrlState('/', '?period=7d&from=2026-01-01&to=2026-01-02').period).toBe('custom')
    expect(parseUrlState('/', '?from=2026-02-01&to=2026-01-01').period).toBe('30d')
    expect(parseUrlState('/', '?from=2026-13-45&to=2026-13-46').period).toBe('30d')
    expect(parseUrlState('/', '?from=2026-01-01').period).toBe('30d')
  })

  it('ignores unknown periods and devices and over-long tiers', () => {
    const s = parseUrlState('/', `?period=5y&device=fridge&tier=${'x'.repeat(33)}`)
    expect(s).toEqual({ view: 'overview', period: '30d', params: {} })
  })

  it('keeps view settings it does not know about', () => {
    expect(parseUrlState('/funnels', '?window=7d&order=strict').params).toEqual({
      window: '7d',
      order: 'strict',
    })
  })

  it('asks the API for the period or the dates, and the filters', () => {
    expect(apiQuery(parseUrlState('/', '?tier=plus'))).toEqual({ period: '30d', tier: 'plus' })
    expect(apiQuery(parseUrlState('/', '?from=2026-01-01&to=2026-01-31&device=mobile'))).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      device: 'mobile',
    })
  })

  it('keeps period and filters but drops view settings when switching views', () => {
    const s = parseUrlState('/features', '?period=7d&tier=plus&sort=-adoption')
    expect(formatUrlState(switchView(s, 'dropoffs'))).toBe('/dropoffs?period=7d&tier=plus')
    expect(formatUrlState(switchView(s, 'workflows', 'bill_pay'))).toBe(
      '/workflows/bill_pay?period=7d&tier=plus',
    )
  })

  it('survives a malformed percent-encoding in the path', () => {
    expect(parseUrlState('/workflows/%E0%A4%A', '').item).toBe('%E0%A4%A')
  })
})
