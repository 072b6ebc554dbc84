/**
 * Workflow analysis (DESIGN §7.2): outcomes, per-step numbers, common paths as walked, and a
 * breakdown by tier, device and institution. Rates leave `in_progress` runs out.
 */
import type { SiteConfig } from '../schemas'
import { inferDropoffType, type DropoffType } from './dropoff-types'
import { increment, quantile, rate, round } from './numbers'
import { ascending, observedSteps, stepReports, type StepReport } from './workflow-steps'
import type { WorkflowRunRow } from '../db/insights/workflow-runs'
import { classifyRun, parseTrail, walkedPath, type Run } from './workflow-runs'

export type WorkflowDef = {
  name: string
  steps: string[]
  steps_source: 'config' | 'observed'
  dropoff_type: DropoffType
  dropoff_type_source: 'config' | 'inferred'
  conversion_window_s: number
}

export type OutcomeCounts = {
  started: number
  completed: number
  failed: number
  abandoned: number
  in_progress: number
  completion_rate: number | null
}
export type PathReport = {
  path: string[]
  runs: number
  completed: number
  completion_rate: number
}
export type WorkflowSummary = Omit<WorkflowDef, 'steps'> &
  OutcomeCounts & { median_duration_s: number | null; steps: StepReport[] }
export type WorkflowReport = WorkflowSummary & {
  common_paths: PathReport[]
  breakdown: Record<'tier' | 'device' | 'institution', Record<string, OutcomeCounts>>
}

export const DEFAULT_WINDOW_S = 1800
const TOP_PATHS = 10
const MAX_BREAKDOWN = 20
/** Workflows not in config are listed by their number of runs, at most this many. */
const MAX_OBSERVED = 50

/**
 * Configured workflows first, in config order, then the most run of the workflows seen in the
 * runs but not configured.
 */
export function workflowDefs(config: SiteConfig, rows: WorkflowRunRow[]) {
  const defs = new Map<string, WorkflowDef>()
  for (const w of config.workflows) {
    defs.set(w.name, {
      name: w.name,
      steps: w.steps,
      steps_source: 'config',
      dropoff_type: w.dropoff_type ?? inferDropoffType(w.name),
      dropoff_type_source: w.dropoff_type ? 'config' : 'inferred',
      conversion_window_s: w.conversion_window_s,
    })
  }
  const byWorkflow = groupBy(rows, (r) => r.workflow)
  const observed = [...byWorkflow]
    .filter(([name]) => !defs.has(name))
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_OBSERVED)
  for (const [name, list] of observed) {
    defs.set(name, {
      name,
      steps: observedSteps(list.map((r) => ({ events: parseTrail(r.trail) }))),
      steps_source: 'observed',
      dropoff_type: inferDropoffType(name),
      dropoff_type_source: 'inferred',
      conversion_window_s: DEFAULT_WINDOW_S,
    })
  }
  return { defs: [...defs.values()], rowsOf: (name: string) => byWorkflow.get(name) ?? [] }
}

export function classifyRuns(def: WorkflowDef, rows: WorkflowRunRow[], now: number): Run[] {
  return rows.map((r) => classifyRun(r, def.steps, def.conversion_window_s * 1000, now))
}

export function outcomeCounts(runs: Run[]): OutcomeCounts {
  const n = { started: runs.length, completed: 0, failed: 0, abandoned: 0, in_progress: 0 }
  for (const r of runs) n[r.outcome]++
  return { ...n, completion_rate: round(rate(n.completed, n.started - n.in_progress), 4) }
}

export function summarizeWorkflow(def: WorkflowDef, runs: Run[]): WorkflowSummary {
  const { steps, ...rest } = def
  const decided = runs.filter((r) => r.outcome !== 'in_progress')
  const durations = runs.filter((r) => r.completed_at !== null)
  return {
    ...rest,
    ...outcomeCounts(runs),
    median_duration_s: round(
      quantile(ascending(durations.map((r) => (r.completed_at! - r.started_at) / 1000)), 0.5),
      1,
    ),
    steps: stepReports(decided, steps),
  }
}

export function analyzeWorkflow(def: WorkflowDef, runs: Run[]): WorkflowReport {
  const decided = runs.filter((r) => r.outcome !== 'in_progress')
  return {
    ...summarizeWorkflow(def, runs),
    common_paths: commonPaths(decided),
    breakdown: {
      tier: breakdown(runs, (r) => r.tier ?? 'unknown'),
      device: breakdown(runs, (r) => r.device ?? 'unknown'),
      institution: breakdown(
        runs.filter((r) => r.institution),
        (r) => r.institution!,
      ),
    },
  }
}

/** The most walked sequences of decided runs, retries included, with their completion rate. */
export function commonPaths(decided: Run[]): PathReport[] {
  const runs = new Map<string, number>()
  const completed = new Map<string, number>()
  for (const r of decided) {
    const key = walkedPath(r).join('>')
    increment(runs, key)
    if (r.outcome === 'completed') increment(completed, key)
  }
  return [...runs]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_PATHS)
    .map(([key, n]) => ({
      path: key.split('>'),
      runs: n,
      completed: completed.get(key) ?? 0,
      completion_rate: round((completed.get(key) ?? 0) / n, 4),
    }))
}

/** Outcome counts per segment, the biggest `MAX_BREAKDOWN` segments. */
function breakdown(runs: Run[], key: (r: Run) => string): Record<string, OutcomeCounts> {
  return Object.fromEntries(
    [...groupBy(runs, key)]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_BREAKDOWN)
      .map(([k, list]) => [k, outcomeCounts(list)]),
  )
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = groups.get(k)
    if (list) list.push(item)
    else groups.set(k, [item])
  }
  return groups
}
