/**
 * The alert job (DESIGN §9), every minute from cron: for each site with recent performance
 * events or a live alert, every rule's series are observed over its window, moved one step
 * (transition.ts) and stored — with the messages the steps made, in the same batch.
 */
import { errorSources } from '../analysis/performance/error-sources'
import { round } from '../analysis/numbers'
import {
  alertStates,
  dropStatesStatement,
  putStateStatement,
  snoozes,
  type StateRow,
} from '../db/alerts'
import { messageStatement } from '../db/webhooks'
import { randomToken } from '../lib/crypto'
import { parseConfig } from '../db/sites'
import { metricUnit, type SiteConfig } from '../schemas'
import { observe, readWindow, type Observation, type Window } from './observe'
import { effectiveRules, type EffectiveRule } from './rules'
import { evaluate, type Step } from './transition'

const DAY_MS = 86_400_000
/** Upper bound of the queries one site's evaluation takes beyond its batch. */
const SITE_QUERIES = 8

/** Sites whose alerts can move: performance events in the last day, or an alert not at rest. */
const SITES_SQL = `SELECT s.id, c.config FROM sites s LEFT JOIN site_config c ON c.site_id = s.id
WHERE EXISTS (SELECT 1 FROM events e WHERE e.site_id = s.id
    AND e.type IN ('connection', 'feature', 'metric') AND e.ts >= ?1)
  OR EXISTS (SELECT 1 FROM alert_states a WHERE a.site_id = s.id
    AND a.state IN ('pending', 'firing'))
ORDER BY random()
LIMIT 100`

export async function evaluateAlerts(
  db: D1Database,
  now: number,
  budget: { left: number },
  publicUrl?: string,
): Promise<{ sites: number; messages: number }> {
  budget.left--
  const { results } = await db
    .prepare(SITES_SQL)
    .bind(now - DAY_MS)
    .all<{ id: string; config: string | null }>()
  let sites = 0
  let messages = 0
  for (const site of results) {
    if (budget.left < SITE_QUERIES) break
    // One site whose evaluation fails must not keep the others' alerts from moving.
    try {
      messages += await evaluateSite(db, site.id, parseConfig(site.config), now, budget, publicUrl)
      sites++
    } catch (err) {
      console.error(`alerts of ${site.id} not evaluated:`, String(err))
    }
  }
  return { sites, messages }
}

/** Series one rule keeps (a `*` scope over invented institutions must not grow without end). */
export const MAX_SERIES_PER_RULE = 100
/** Messages one site makes a run; the transitions past it are made, and told, next run. */
export const MAX_MESSAGES_PER_RUN = 25
/** A quiet series that was never told is forgotten after a day without data. */
const FORGET_MS = DAY_MS

/** Evaluates one site's rules now; returns how many messages it made. */
export async function evaluateSite(
  db: D1Database,
  siteId: string,
  config: SiteConfig,
  now: number,
  budget: { left: number } = { left: Infinity },
  publicUrl?: string,
): Promise<number> {
  const rules = effectiveRules(config)
  const [states, snoozed] = await Promise.all([alertStates(db, siteId), snoozes(db, siteId, now)])
  const windows = await readWindows(db, siteId, rules, now)
  budget.left -= 2 + windows.size * 2
  const sourceOf = errorSources(config.error_sources)
  const prevOf = new Map(states.map((s) => [`${s.rule_id}\n${s.series}`, s]))
  const rest: StateRow[] = []
  const told: D1PreparedStatement[][] = []
  const kept: string[] = []
  for (const rule of rules) {
    const known = states
      .filter((s) => s.rule_id === rule.id)
      .filter((s) => s.state !== 'no_data' || s.notified_at !== null || now - s.since < FORGET_MS)
      .map((s) => s.series)
    const seen = observe(rule, windows.get(rule.window_ms)!, sourceOf, known)
    // Told-firing series first (their receivers wait for the resolve), then the best sampled.
    const wasTold = (series: string) => prevOf.get(`${rule.id}\n${series}`)?.notified_at != null
    seen.sort((x, y) => Number(wasTold(y.series)) - Number(wasTold(x.series)) || y.n - x.n)
    for (const obs of seen.slice(0, MAX_SERIES_PER_RULE)) {
      const key = `${rule.id}\n${obs.series}`
      const prev = prevOf.get(key)
      kept.push(key)
      const step = evaluate(rule, obs, prev, now, snoozed.has(rule.id))
      const row = stateRow(rule, obs, step)
      if (!step.message || !config.webhook_url) {
        // Nobody was told: the alert is still to be told once there is somewhere to tell it.
        if (step.message === 'alert.firing') row.notified_at = prev?.notified_at ?? null
        rest.push(row)
        continue
      }
      // Past this run's share the series waits, unchanged, for the next run.
      if (told.length >= MAX_MESSAGES_PER_RUN) continue
      // A transition that is told: its state and its message stand or fall together.
      told.push([
        putStateStatement(db, siteId, row, prev?.evaluated_at ?? null),
        messageStatement(db, message(siteId, rule, obs, step, now, publicUrl), true),
      ])
    }
  }
  const statements = [
    ...told.flat(),
    ...bulkStateStatements(db, siteId, rest),
    dropStatesStatement(db, siteId, kept, prevOf),
  ]
  budget.left -= statements.length
  await db.batch(statements)
  return told.length
}

async function readWindows(db: D1Database, siteId: string, rules: EffectiveRule[], now: number) {
  const out = new Map<number, Window>()
  for (const w of new Set(rules.map((r) => r.window_ms))) {
    const latency = rules.some((r) => r.window_ms === w && r.metric === 'connection_latency_p95_ms')
    out.set(w, await readWindow(db, siteId, now - w, now, latency))
  }
  return out
}

function stateRow(rule: EffectiveRule, obs: Observation, step: Step): StateRow {
  return {
    ...step.next,
    rule_id: rule.id,
    series: obs.series,
    value: obs.value === null ? null : round(obs.value, 6),
    n: obs.n,
    threshold: rule.limit,
    lo: obs.interval?.[0] ?? null,
    hi: obs.interval?.[1] ?? null,
  }
}

/**
 * The webhook body of DESIGN §9, and nothing personal: the rule, the metric, the scope
 * (institution or feature names), the numbers, and where to look.
 */
function message(
  siteId: string,
  rule: EffectiveRule,
  obs: Observation,
  step: Step,
  now: number,
  publicUrl?: string,
) {
  const unit = metricUnit(rule.metric)
  const body = {
    type: step.message,
    alert: rule.id,
    metric: rule.metric,
    scope: obs.scope,
    value: obs.value === null ? null : unit === 'ms' ? Math.round(obs.value) : round(obs.value, 4),
    threshold: rule.limit,
    condition: rule.condition,
    n: obs.n,
    interval: obs.interval && [round(obs.interval[0], 4), round(obs.interval[1], 4)],
    window: rule.window,
    previous_state: step.previous,
    state: step.next.state,
    at: new Date(now).toISOString(),
    url: publicUrl ? `${publicUrl}/alerts?rule=${encodeURIComponent(rule.id)}` : null,
  }
  return {
    id: `msg_${randomToken(18)}`,
    site_id: siteId,
    type: step.message!,
    rule_id: rule.id,
    series: obs.series,
    body: JSON.stringify(body),
    created_at: now,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
  }
}

/**
 * States that made no message, up to 200 a statement through one JSON parameter; a run that
 * began earlier never overwrites what a later one wrote.
 */
function bulkStateStatements(db: D1Database, siteId: string, rows: StateRow[]) {
  const out: D1PreparedStatement[] = []
  for (let i = 0; i < rows.length; i += 200) {
    out.push(
      db
        .prepare(
          `INSERT INTO alert_states (site_id, rule_id, series, state, since, breaches, value, n,
             threshold, lo, hi, evaluated_at, notified_at)
           SELECT ?1, json_extract(j.value, '$.rule_id'), json_extract(j.value, '$.series'), json_extract(j.value, '$.state'),
             json_extract(j.value, '$.since'), json_extract(j.value, '$.breaches'), json_extract(j.value, '$.value'), json_extract(j.value, '$.n'),
             json_extract(j.value, '$.threshold'), json_extract(j.value, '$.lo'), json_extract(j.value, '$.hi'),
             json_extract(j.value, '$.evaluated_at'), json_extract(j.value, '$.notified_at')
           FROM json_each(?2) j WHERE true
           ON CONFLICT (site_id, rule_id, series) DO UPDATE SET state = excluded.state,
             since = excluded.since, breaches = excluded.breaches, value = excluded.value,
             n = excluded.n, threshold = excluded.threshold, lo = excluded.lo, hi = excluded.hi,
             evaluated_at = excluded.evaluated_at, notified_at = excluded.notified_at
           WHERE excluded.evaluated_at > alert_states.evaluated_at`,
        )
        .bind(siteId, JSON.stringify(rows.slice(i, i + 200))),
    )
  }
  return out
}
