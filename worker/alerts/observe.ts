/**
 * What an alert rule sees over its window (DESIGN §9), read from raw events so an alert reacts
 * within a minute of the events arriving, not after a rollup rebuild: outcome counts per
 * (type, institution, feature, status, reason), and latency values for latency rules. The
 * numbers are §7.8's (docs/formulas.md): the same formulas over a shorter span.
 */
import { wilson } from '../analysis/numbers'
import type { SourceOf } from '../analysis/performance/error-sources'
import { LATENCY_METRIC } from '../analysis/performance/report'
import type { EffectiveRule } from './rules'

export type OutcomeRow = {
  type: string
  institution: string
  feature: string
  status: string
  reason: string
  n: number
}
export type LatencyRow = { institution: string; feature: string; value: number }

export const WINDOW_OUTCOMES_SQL = `SELECT type, coalesce(institution, '') AS institution,
  coalesce(feature, '') AS feature, status, coalesce(reason, '') AS reason, count(*) AS n
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN ('connection', 'feature') AND ts >= ?2 AND ts < ?3
  AND status IN ('completed', 'failed', 'abandoned')
GROUP BY 1, 2, 3, 4, 5
LIMIT 20000`

/** A window's latency is that of its newest values when it holds more than this many. */
export const MAX_LATENCY_VALUES = 50_000

export const WINDOW_LATENCY_SQL = `SELECT coalesce(institution, '') AS institution,
  coalesce(feature, '') AS feature, value
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN ('connection', 'metric') AND ts >= ?2 AND ts < ?3
  AND value >= 0 AND (type = 'connection' OR name = '${LATENCY_METRIC}')
ORDER BY ts DESC
LIMIT ${MAX_LATENCY_VALUES}`

export type Window = { outcomes: OutcomeRow[]; latency: LatencyRow[] }

export async function readWindow(
  db: D1Database,
  siteId: string,
  from: number,
  to: number,
  withLatency: boolean,
): Promise<Window> {
  const [outcomes, latency] = await Promise.all([
    db.prepare(WINDOW_OUTCOMES_SQL).bind(siteId, from, to).all<OutcomeRow>(),
    withLatency
      ? db.prepare(WINDOW_LATENCY_SQL).bind(siteId, from, to).all<LatencyRow>()
      : Promise.resolve({ results: [] as LatencyRow[] }),
  ])
  return { outcomes: outcomes.results, latency: latency.results }
}

export type Scope = { institution?: string; feature?: string }
export type Observation = {
  series: string
  scope: Scope
  value: number | null
  n: number
  interval: [number, number] | null
}

/** `institution=x&feature=y`, '' for the whole site: the key of one alert series. */
export function seriesKey(scope: Scope): string {
  return (['institution', 'feature'] as const)
    .filter((k) => scope[k] !== undefined)
    .map((k) => `${k}=${scope[k]}`)
    .join('&')
}

export function scopeOf(series: string): Scope {
  return Object.fromEntries(series ? series.split('&').map((p) => p.split('=')) : [])
}

/** The event types a rule's metric counts. */
function typesOf(metric: string): Set<string> {
  if (metric === 'feature_success_rate') return new Set(['feature'])
  if (metric === 'error_rate') return new Set(['connection', 'feature'])
  return new Set(['connection'])
}

function matches(row: { institution: string; feature: string }, scope: Scope) {
  return (
    (scope.institution === undefined || row.institution === scope.institution) &&
    (scope.feature === undefined || row.feature === scope.feature)
  )
}

/**
 * One observation per series of `rule`: a '*' dimension becomes one series per value seen in
 * the window (and per value `known` from earlier evaluations, which then see no data).
 */
export function observe(
  rule: EffectiveRule,
  w: Window,
  sourceOf: SourceOf,
  known: string[],
): Observation[] {
  const types = typesOf(rule.metric)
  const rows = w.outcomes.filter((r) => types.has(r.type))
  const scopes = new Map<string, Scope>()
  const fixed: Scope = {}
  for (const k of ['institution', 'feature'] as const) {
    const v = rule.scope[k]
    if (v !== undefined && v !== '*') fixed[k] = v
  }
  const expand = (source: { institution: string; feature: string }[]) => {
    for (const r of source) {
      const s: Scope = { ...fixed }
      if (rule.scope.institution === '*') {
        if (!r.institution) continue
        s.institution = r.institution
      }
      if (rule.scope.feature === '*') {
        if (!r.feature) continue
        s.feature = r.feature
      }
      if (matches(r, s)) scopes.set(seriesKey(s), s)
    }
  }
  if (rule.scope.institution === '*' || rule.scope.feature === '*') {
    expand(rule.metric === 'connection_latency_p95_ms' ? w.latency : rows)
  } else scopes.set(seriesKey(fixed), fixed)
  for (const k of known) if (!scopes.has(k)) scopes.set(k, scopeOf(k))
  return [...scopes].map(([series, scope]) => ({
    series,
    scope,
    ...valueOf(rule, rows, w.latency, scope, sourceOf),
  }))
}

function valueOf(
  rule: EffectiveRule,
  rows: OutcomeRow[],
  latency: LatencyRow[],
  scope: Scope,
  sourceOf: SourceOf,
): Omit<Observation, 'series' | 'scope'> {
  if (rule.metric === 'connection_latency_p95_ms') {
    const values = latency
      .filter((r) => matches(r, scope))
      .map((r) => r.value)
      .sort((a, b) => a - b)
    const n = values.length
    const value = n ? values[Math.max(0, Math.ceil(0.95 * n) - 1)] : null
    return { value, n, interval: null }
  }
  let x = 0
  let n = 0
  for (const r of rows) {
    if (!matches(r, scope)) continue
    const userError = r.status !== 'completed' && sourceOf(r.status, r.reason) === 'user'
    if (rule.metric === 'success_rate_excl_user_errors' && userError) continue
    n += r.n
    if (rule.metric === 'error_rate' ? r.status === 'failed' : r.status === 'completed') x += r.n
  }
  return { value: n ? x / n : null, n, interval: wilson(x, n) }
}
