/**
 * Everything a person sees is described by the URL, so a view can be shared and reloaded:
 * `/<view>[/<item>]?period=7d&tier=plus&device=mobile` or `?from=2026-01-01&to=2026-01-31`.
 * The API key is never part of it (see session.ts). Pure: no DOM, tested in node.
 */

export const PERIOD_PRESETS = ['24h', '7d', '30d', '90d', '365d'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]
export const DEFAULT_PERIOD: PeriodPreset = '30d'
export const DEVICE_OPTIONS = ['desktop', 'mobile', 'tablet'] as const
export type Device = (typeof DEVICE_OPTIONS)[number]

export type UrlState = {
  /** Id of an entry in the views table; unknown ids are the app's to handle. */
  view: string
  /** One item inside the view, e.g. a workflow name. */
  item?: string
  period: PeriodPreset | 'custom'
  /** Inclusive UTC dates (YYYY-MM-DD), set only when `period` is `custom`. */
  from?: string
  to?: string
  tier?: string
  device?: Device
  /** View-specific settings (sort order, a funnel definition), kept as given. */
  params: Record<string, string>
}

const GLOBAL_KEYS = new Set(['period', 'from', 'to', 'tier', 'device'])
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export function isIsoDate(s: string | null | undefined): s is string {
  return !!s && ISO_DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
}

/** Reads a location; anything malformed falls back to the default rather than failing. */
export function parseUrlState(pathname: string, search: string): UrlState {
  const [view = '', item] = pathname
    .split('/')
    .filter(Boolean)
    .map((s) => safeDecode(s))
  const q = new URLSearchParams(search)
  const from = q.get('from')
  const to = q.get('to')
  const state: UrlState = { view: view || 'overview', period: DEFAULT_PERIOD, params: {} }
  if (item) state.item = item
  const period = q.get('period')
  if (isIsoDate(from) && isIsoDate(to) && from <= to) {
    Object.assign(state, { period: 'custom', from, to })
  } else if (PERIOD_PRESETS.includes(period as PeriodPreset)) {
    state.period = period as PeriodPreset
  }
  const tier = q.get('tier')
  if (tier && tier.length <= 32) state.tier = tier
  const device = q.get('device')
  if (DEVICE_OPTIONS.includes(device as Device)) state.device = device as Device
  for (const [k, v] of q) if (!GLOBAL_KEYS.has(k)) state.params[k] = v
  return state
}

/** The path and query for a state; defaults are left out so URLs stay short. */
export function formatUrlState(s: UrlState): string {
  const segments = [s.view === 'overview' && !s.item ? '' : s.view, s.item ?? '']
  const path = '/' + segments.filter(Boolean).map(encodeURIComponent).join('/')
  const q = new URLSearchParams()
  if (s.period === 'custom' && s.from && s.to) {
    q.set('from', s.from)
    q.set('to', s.to)
  } else if (s.period !== 'custom' && s.period !== DEFAULT_PERIOD) {
    q.set('period', s.period)
  }
  if (s.tier) q.set('tier', s.tier)
  if (s.device) q.set('device', s.device)
  for (const k of Object.keys(s.params).sort()) q.set(k, s.params[k])
  const query = q.toString()
  return query ? `${path}?${query}` : path
}

/** The common query of every analysis endpoint (DESIGN §6) for this state. */
export function apiQuery(s: UrlState): Record<string, string> {
  const q: Record<string, string> = {}
  if (s.period === 'custom' && s.from && s.to) {
    q.from = s.from
    q.to = s.to
  } else {
    q.period = s.period === 'custom' ? DEFAULT_PERIOD : s.period
  }
  if (s.tier) q.tier = s.tier
  if (s.device) q.device = s.device
  return q
}

/** Moving to another view keeps the period and filters but not the other view's settings. */
export function switchView(s: UrlState, view: string, item?: string): UrlState {
  const next: UrlState = { ...s, view, params: view === s.view ? s.params : {} }
  if (item) next.item = item
  else delete next.item
  return next
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
