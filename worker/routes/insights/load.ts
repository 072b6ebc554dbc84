/**
 * Loading what the insight endpoints share: each loader runs its queries (in parallel) and
 * hands the rows to the pure analyses. Routes pick the loaders they need; the dashboard and
 * opportunities use most of them.
 */
import { dropoffReport } from '../../analysis/dropoff-impact'
import type { Prices } from '../../analysis/dropoffs'
import { featureValueByTier } from '../../analysis/feature-value'
import { detectOpportunities } from '../../analysis/opportunities'
import type { Filters, Range } from '../../analysis/period'
import { daysBefore, rollupDays } from '../../analysis/rollup-days'
import { DEFAULT_VALUE_WEIGHTS, type ValueWeights } from '../../analysis/value-score'
import { classifyRuns, workflowDefs, DEFAULT_WINDOW_S } from '../../analysis/workflows'
import { connections } from '../../db/insights/connections'
import { featureAccess } from '../../db/insights/feature-access'
import { featureReasons } from '../../db/insights/feature-reasons'
import { featureStats } from '../../db/insights/feature-stats'
import { readOrder } from '../../db/insights/read-order'
import { stageReach } from '../../db/insights/stage-reach'
import { workflowRuns } from '../../db/insights/workflow-runs'
import type { SiteConfig } from '../../schemas'

export type InsightRequest = {
  db: D1Database
  siteId: string
  config: SiteConfig
  /** The site's data version read with `config` (db/answers.ts); null: no such site. */
  version: number | null
  range: Range
  filters: Filters
  now: number
}

const orders = new WeakMap<InsightRequest, Promise<boolean>>()

/** How this request's groupings read their rollups (read-order.ts): the first-day seek once. */
export function readsOrdered(r: InsightRequest): Promise<boolean> {
  let ordered = orders.get(r)
  if (!ordered) orders.set(r, (ordered = readOrder(r.db, r.siteId, rollupDays(r.range))))
  return ordered
}

/** Runs are read this far around the period: the longest conversion window, at most 7 days. */
const MAX_LOOKBACK_MS = 7 * 86_400_000

export async function loadWorkflows(r: InsightRequest, workflow?: string) {
  const windows = r.config.workflows.map((w) => w.conversion_window_s)
  const lookbackMs = Math.min(MAX_LOOKBACK_MS, Math.max(DEFAULT_WINDOW_S, ...windows) * 1000)
  const { rows, truncated } = await workflowRuns(r.db, {
    siteId: r.siteId,
    from: r.range.from,
    to: r.range.to,
    lookbackMs,
    workflow,
    ...r.filters,
  })
  const { defs, rowsOf } = workflowDefs(r.config, rows)
  const workflows = defs
    .filter((def) => !workflow || def.name === workflow)
    .map((def) => ({ def, runs: classifyRuns(def, rowsOf(def.name), r.now) }))
  return { workflows, truncated }
}

export function valueWeights(config: SiteConfig): ValueWeights {
  const set = Object.entries(config.value_weights ?? {}).filter(([, v]) => v !== undefined)
  return { ...DEFAULT_VALUE_WEIGHTS, ...Object.fromEntries(set) }
}

/** Feature value by tier, and the rows it came from (drop-offs and opportunities use them). */
export async function loadFeatureValue(r: InsightRequest) {
  const days = rollupDays(r.range)
  const cutoff = daysBefore(days.to_day, 7)
  const ordered = await readsOrdered(r)
  const stats = await featureStats(r.db, r.siteId, days, r.filters, cutoff, r.config.tiers, ordered)
  const weights = valueWeights(r.config)
  const order = r.config.tiers.map((t) => t.name)
  const tiers = featureValueByTier(stats.usage, stats.users, stats.tiers, weights, order)
  return { weights, tiers, stats }
}

export function pricesOf(config: SiteConfig): Prices {
  return new Map(config.tiers.map((t) => [t.name, t.monthly_price]))
}

/**
 * Drop-offs need only the feature-access users and the dropped ones' reasons: alone they come
 * from the lean query; when the caller loads feature value anyway (opportunities, the
 * dashboard), from its rows instead — the same numbers either way.
 */
export async function loadDropoffs(r: InsightRequest, value?: ReturnType<typeof loadFeatureValue>) {
  const [{ workflows, truncated }, { access, dropReasons }] = await Promise.all([
    loadWorkflows(r),
    value
      ? value.then(({ stats }) => stats)
      : readsOrdered(r).then((o) =>
          featureAccess(r.db, r.siteId, rollupDays(r.range), r.filters, o),
        ),
  ])
  const prices = pricesOf(r.config)
  return { ...dropoffReport(workflows, access, dropReasons, prices), workflows, truncated }
}

/** Failed uses by reason feed only the low_success evidence (§7.7); drop-offs count users. */
export async function loadOpportunities(r: InsightRequest) {
  const days = rollupDays(r.range)
  const value = loadFeatureValue(r)
  const [dropoffs, { tiers, stats }, conns, stages, reasons] = await Promise.all([
    loadDropoffs(r, value),
    value,
    readsOrdered(r).then((o) => connections(r.db, r.siteId, days, r.filters, o)),
    stageReach(r.db, r.siteId, r.range, r.filters),
    featureReasons(r.db, r.siteId, days, r.filters),
  ])
  const opportunities = detectOpportunities({
    config: r.config,
    range: r.range,
    prices: pricesOf(r.config),
    dropoffs: dropoffs.points,
    workflows: dropoffs.workflows,
    connections: conns,
    featureValue: tiers,
    featureUsage: stats.usage,
    featureAccess: stats.access,
    featureReasons: reasons,
    upgrades: stats.upgrades,
    stages,
  })
  return { opportunities, dropoffs, connections: conns, truncated: dropoffs.truncated }
}
