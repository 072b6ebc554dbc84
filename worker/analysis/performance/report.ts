/**
 * The eight performance metrics of DESIGN §7.8, overall, per institution and per feature, from
 * the rows of db/insights/performance.ts. Pure: rows in, numbers out. Every formula is in
 * docs/formulas.md §7.8.
 */
import type {
  ConnectedRow,
  HistRow,
  PerfRows,
  ReasonRow,
  SegmentRow,
  TotalsRow,
} from '../../db/insights/performance'
import { ERROR_SOURCES } from '../../wire-lists'
import { round } from '../numbers'
import { healthOf, worstOf, type Health, type Threshold } from '../thresholds'
import type { ErrorSource, SourceOf } from './error-sources'
import { addTo, countOf, percentiles, type Histogram } from './histogram'
import { rateStat, sharesOf, type RateStat } from './rates'

const DAY_MS = 86_400_000
/** Freshness shares: no successful connection for more than 2 days is delayed, 14 stopped. */
export const DELAYED_MS = 2 * DAY_MS
export const STOPPED_MS = 14 * DAY_MS
const QUANTILES = [0.5, 0.75, 0.9, 0.95, 0.99] as const
const SYNC_OPERATIONS = new Set(['sync', 'refresh'])
/** A backend's measured connection latency (DESIGN §7.8 `POST .../performance/metric`). */
export const LATENCY_METRIC = 'connection_latency'

export type PerfContext = {
  thresholds: (name: string) => Threshold | undefined
  minSample: number
  sourceOf: SourceOf
  /** Days the period's rollups cover (sync frequency and DAU are per day). */
  days: number
  /** When freshness is read, or null for a period that ended before today. */
  asOf: number | null
}

/** What one scope (the site, an institution, a feature) adds up to. */
type Acc = {
  conn: { attempts: number; completed: number; failed: number; abandoned: number; syncs: number }
  feat: { uses: number; attempts: number; completed: number; failed: number }
  latency: Histogram
  bySource: Map<ErrorSource, number>
  byReason: Map<string, { source: ErrorSource; count: number }>
  connected: number[]
  segment?: SegmentRow
}

function newAcc(): Acc {
  return {
    conn: { attempts: 0, completed: 0, failed: 0, abandoned: 0, syncs: 0 },
    feat: { uses: 0, attempts: 0, completed: 0, failed: 0 },
    latency: new Map(),
    bySource: new Map(),
    byReason: new Map(),
    connected: [],
  }
}

class Scopes {
  readonly all = newAcc()
  readonly institutions = new Map<string, Acc>()
  readonly features = new Map<string, Acc>()

  /** The site's accumulator and those of the row's institution and feature. */
  of(row: { institution?: string; feature?: string }): Acc[] {
    const out = [this.all]
    if (row.institution) out.push(get(this.institutions, row.institution))
    if (row.feature) out.push(get(this.features, row.feature))
    return out
  }
}

function get(m: Map<string, Acc>, key: string): Acc {
  let a = m.get(key)
  if (!a) m.set(key, (a = newAcc()))
  return a
}

function addTotals(s: Scopes, r: TotalsRow) {
  for (const a of s.of(r)) {
    if (r.kind === 'connection') {
      a.conn.attempts += r.attempts
      a.conn.completed += r.completed
      a.conn.failed += r.failed
      a.conn.abandoned += r.abandoned
      if (SYNC_OPERATIONS.has(r.operation)) a.conn.syncs += r.completed
    } else if (r.kind === 'feature') {
      a.feat.uses += r.events - r.started
      a.feat.attempts += r.attempts
      a.feat.completed += r.completed
      a.feat.failed += r.failed
    }
  }
}

function addReason(s: Scopes, r: ReasonRow, sourceOf: SourceOf) {
  if (r.kind !== 'connection') return
  const source = sourceOf(r.status, r.reason)
  const name = r.reason || `(${r.status}, no reason)`
  for (const a of s.of(r)) {
    a.bySource.set(source, (a.bySource.get(source) ?? 0) + r.events)
    const seen = a.byReason.get(name) ?? { source, count: 0 }
    seen.count += r.events
    a.byReason.set(name, seen)
  }
}

export type CustomMetric = {
  name: string
  n: number
  mean: number | null
  p50: number | null
  p95: number | null
  p99: number | null
}

function customMetrics(totals: TotalsRow[], hist: HistRow[]): CustomMetric[] {
  const byName = new Map<string, { n: number; sum: number; h: Histogram }>()
  for (const r of totals) {
    if (r.kind !== 'metric' || r.operation === LATENCY_METRIC) continue
    const m = byName.get(r.operation) ?? { n: 0, sum: 0, h: new Map() }
    m.n += r.value_n
    m.sum += r.value_sum
    byName.set(r.operation, m)
  }
  for (const r of hist) {
    const m = r.kind === 'metric' ? byName.get(r.operation) : undefined
    if (m) addTo(m.h, r.bucket, r.n, r.s)
  }
  return [...byName]
    .map(([name, m]) => {
      const q = percentiles(m.h, [0.5, 0.95, 0.99])
      return {
        name,
        n: m.n,
        mean: m.n ? round(m.sum / m.n, 2) : null,
        p50: q.get(0.5)!,
        p95: q.get(0.95)!,
        p99: q.get(0.99)!,
      }
    })
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1))
    .slice(0, 50)
}

export type ConnectionSuccess = RateStat & {
  attempts: number
  completed: number
  failed: number
  abandoned: number
  success_rate_excl_user_errors: RateStat
  /** Shares of attempts: the successes and each error source's failures; they sum to 1. */
  error_split: Record<'success' | ErrorSource, number>
  top_reasons: { reason: string; source: ErrorSource; count: number; share: number }[]
}

export type Latency = {
  n: number
  mean_ms: number | null
  p50_ms: number | null
  p75_ms: number | null
  p90_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  status: Health
}

export type SyncFrequency = {
  successful_syncs: number
  connected_users: number
  syncs_per_user_day: number | null
  freshness: {
    as_of: string
    n: number
    p50_s: number | null
    p95_s: number | null
    delayed: RateStat
    stopped: RateStat
  } | null
}

export type Metrics = {
  status: Health
  connection_success_rate: ConnectionSuccess | null
  connection_latency: Latency | null
  data_sync_frequency: SyncFrequency | null
  error_rate: (RateStat & { failed: number; attempts: number }) | null
  user_engagement: {
    active_users: number
    dau: number
    stickiness: number | null
    sessions_per_user: number | null
    active_days_per_user: number | null
  } | null
  feature_usage: { uses: number; users: number | null; success_rate: RateStat } | null
  revenue_impact: {
    users: number
    revenue: number
    revenue_per_user: number | null
    others_revenue_per_user: number | null
    difference_per_user: number | null
  } | null
  conversion_rate:
    | (RateStat & {
        eligible: number
        upgraded: number
        others: RateStat | null
        lift: number | null
      })
    | null
}

function connectionSuccess(a: Acc, c: PerfContext): ConnectionSuccess | null {
  const { attempts, completed, failed, abandoned } = a.conn
  if (!attempts) return null
  const judge = (name: string) => ({ threshold: c.thresholds(name), minSample: c.minSample })
  // Reasons come from their own rollup: whatever they do not account for (none, or a list cut
  // at its limit) is unknown, so the split always sums to 1 with the successes.
  const failures = failed + abandoned
  const counts = Object.fromEntries(
    ERROR_SOURCES.map((s) => [s, a.bySource.get(s) ?? 0]),
  ) as Record<ErrorSource, number>
  const known = ERROR_SOURCES.reduce((s, k) => s + (k === 'unknown' ? 0 : counts[k]), 0)
  counts.unknown = Math.max(0, failures - known)
  const userErrors = Math.min(counts.user, failures)
  return {
    ...rateStat(completed, attempts, judge('connection_success_rate')),
    attempts,
    completed,
    failed,
    abandoned,
    success_rate_excl_user_errors: rateStat(
      completed,
      attempts - userErrors,
      judge('success_rate_excl_user_errors'),
    ),
    error_split: sharesOf({ success: completed, ...counts })!,
    top_reasons: [...a.byReason]
      .sort((x, y) => y[1].count - x[1].count || (x[0] < y[0] ? -1 : 1))
      .slice(0, 10)
      .map(([reason, r]) => ({
        reason,
        source: r.source,
        count: r.count,
        share: round(r.count / Math.max(failures, 1), 4),
      })),
  }
}

function latency(a: Acc, c: PerfContext): Latency | null {
  const n = countOf(a.latency)
  if (!n) return null
  const q = percentiles(a.latency, QUANTILES)
  let sum = 0
  for (const [, s] of a.latency.values()) sum += s
  const p95 = q.get(0.95)!
  return {
    n,
    mean_ms: Math.round(sum / n),
    p50_ms: q.get(0.5)!,
    p75_ms: q.get(0.75)!,
    p90_ms: q.get(0.9)!,
    p95_ms: p95,
    p99_ms: q.get(0.99)!,
    status: healthOf(p95, n, c.thresholds('connection_latency_p95_ms'), c.minSample),
  }
}

function syncFrequency(a: Acc, c: PerfContext): SyncFrequency {
  const users = a.connected.length
  const judge = { minSample: c.minSample }
  let freshness: SyncFrequency['freshness'] = null
  if (c.asOf !== null && users) {
    const ages = a.connected.map((t) => Math.max(0, c.asOf! - t)).sort((x, y) => x - y)
    const at = (q: number) => ages[Math.max(0, Math.ceil(q * ages.length) - 1)]
    freshness = {
      as_of: new Date(c.asOf).toISOString(),
      n: users,
      p50_s: Math.round(at(0.5) / 1000),
      p95_s: Math.round(at(0.95) / 1000),
      delayed: rateStat(ages.filter((x) => x > DELAYED_MS).length, users, judge),
      stopped: rateStat(ages.filter((x) => x > STOPPED_MS).length, users, judge),
    }
  }
  return {
    successful_syncs: a.conn.syncs,
    connected_users: users,
    syncs_per_user_day: users ? round(a.conn.syncs / users / c.days, 3) : null,
    freshness,
  }
}

type ScopeKind = 'site' | 'institution' | 'feature'

function metricsOf(a: Acc, c: PerfContext, all: SegmentRow | undefined, kind: ScopeKind): Metrics {
  const site = kind === 'site'
  const connection = connectionSuccess(a, c)
  const lat = latency(a, c)
  const errAttempts = a.conn.attempts + a.feat.attempts
  const errFailed = a.conn.failed + a.feat.failed
  const judge = (name: string) => ({ threshold: c.thresholds(name), minSample: c.minSample })
  const error_rate = errAttempts
    ? {
        ...rateStat(errFailed, errAttempts, judge('error_rate')),
        failed: errFailed,
        attempts: errAttempts,
      }
    : null
  const feature_usage =
    a.feat.uses || a.feat.attempts
      ? {
          uses: a.feat.uses,
          users: a.segment?.users ?? null,
          success_rate: rateStat(a.feat.completed, a.feat.attempts, judge('feature_success_rate')),
        }
      : null
  const seg = a.segment
  const others =
    seg && all && !site
      ? {
          users: all.users - seg.users,
          revenue: all.revenue - seg.revenue,
          eligible: all.eligible - seg.eligible,
          upgraded: all.upgraded - seg.upgraded,
        }
      : null
  const perUser = (revenue: number, users: number) => (users > 0 ? round(revenue / users, 2) : null)
  const conversion =
    seg && seg.eligible > 0
      ? rateStat(seg.upgraded, seg.eligible, { minSample: c.minSample })
      : null
  const othersConversion =
    others && others.eligible > 0
      ? rateStat(others.upgraded, others.eligible, { minSample: c.minSample })
      : null
  // An institution is judged by its connections (success, latency); a feature by its uses
  // (success, error rate, latency); the site by all of them.
  const statuses = [
    kind !== 'feature' ? connection?.status : undefined,
    lat?.status,
    kind !== 'institution' ? error_rate?.status : undefined,
    kind !== 'institution' ? feature_usage?.success_rate.status : undefined,
  ]
  return {
    status: worstOf(statuses.filter((s): s is Health => s !== undefined)),
    connection_success_rate: connection,
    connection_latency: lat,
    data_sync_frequency: a.conn.attempts || a.connected.length ? syncFrequency(a, c) : null,
    error_rate,
    user_engagement: seg
      ? {
          active_users: seg.users,
          dau: round(seg.user_days / c.days, 1),
          stickiness: seg.users ? round(seg.user_days / c.days / seg.users, 4) : null,
          sessions_per_user: perUser(seg.sessions, seg.users),
          active_days_per_user: perUser(seg.user_days, seg.users),
        }
      : null,
    feature_usage,
    revenue_impact: seg
      ? {
          users: seg.users,
          revenue: round(seg.revenue, 2),
          revenue_per_user: perUser(seg.revenue, seg.users),
          others_revenue_per_user: others ? perUser(others.revenue, others.users) : null,
          difference_per_user:
            others && seg.users && others.users
              ? round(seg.revenue / seg.users - others.revenue / others.users, 2)
              : null,
        }
      : null,
    conversion_rate: conversion && {
      ...conversion,
      eligible: seg!.eligible,
      upgraded: seg!.upgraded,
      others: othersConversion,
      lift:
        othersConversion?.value && conversion.value !== null
          ? round(conversion.value / othersConversion.value, 3)
          : null,
    },
  }
}

const SEVERITY: Health[] = ['critical', 'warning', 'ok', 'insufficient_data']

/** Worst first: by status, then by connection success (lowest first), then by name. */
function byHealth<T extends Metrics & { name: string }>(a: T, b: T): number {
  const s = SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status)
  if (s) return s
  const ra = a.connection_success_rate?.value ?? 2
  const rb = b.connection_success_rate?.value ?? 2
  return ra - rb || (a.name < b.name ? -1 : 1)
}

export const MAX_INSTITUTIONS = 200
export const MAX_FEATURES = 100

export function performanceReport(
  rows: PerfRows,
  c: PerfContext,
  filters: { institution?: string; feature?: string },
) {
  const s = new Scopes()
  for (const r of rows.totals) addTotals(s, r)
  for (const r of rows.reasons) addReason(s, r, c.sourceOf)
  for (const r of rows.hist) {
    if (r.kind === 'connection' || (r.kind === 'metric' && r.operation === LATENCY_METRIC)) {
      for (const a of s.of(r)) addTo(a.latency, r.bucket, r.n, r.s)
    }
  }
  for (const r of rows.connected) addConnected(s, r)
  const all = rows.segments.find((r) => r.dim === 'all')
  for (const r of rows.segments) {
    if (r.dim === 'institution') get(s.institutions, r.key).segment = r
    if (r.dim === 'feature') get(s.features, r.key).segment = r
  }
  // A filtered view's "overall" users are the filtered institution's or feature's.
  s.all.segment = filters.institution
    ? s.institutions.get(filters.institution)?.segment
    : filters.feature
      ? s.features.get(filters.feature)?.segment
      : all
  const list = (m: Map<string, Acc>, key: 'institution' | 'feature', max: number) =>
    [...m]
      .map(([name, a]) => ({ name, ...metricsOf(a, c, all, key) }))
      .sort(byHealth)
      .slice(0, max)
      .map(({ name, ...metrics }) => ({ [key]: name, ...metrics }))
  return {
    overall: metricsOf(s.all, c, all, 'site'),
    by_institution: list(s.institutions, 'institution', MAX_INSTITUTIONS) as ({
      institution: string
    } & Metrics)[],
    by_feature: list(s.features, 'feature', MAX_FEATURES) as ({ feature: string } & Metrics)[],
    custom_metrics: customMetrics(rows.totals, rows.hist),
  }
}

function addConnected(s: Scopes, r: ConnectedRow) {
  s.all.connected.push(r.last_ok)
  get(s.institutions, r.institution).connected.push(r.last_ok)
}
