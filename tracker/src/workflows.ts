/**
 * Workflow runs (DESIGN §3, §7.2). The first step of a workflow, or any step named `start`,
 * opens a run with a fresh id; every later event of the run carries in `value` the seconds
 * since the run's previous one; `complete` and `abandon` close it (an abandon is reported at the step
 * the user was on). Runs live in localStorage, so a run survives reloads and tabs, and one
 * left open past the conversion window (30 minutes, as the collector's default) is reported
 * abandoned with reason `timeout` on the next visit.
 */
import type { Event } from '../../worker/schemas'
import { newId } from './ids'
import { off } from './privacy'
import { get, set } from './store'
import { track } from './track'

type Run = [id: string, lastStepAt: number, lastStep: string]
type Runs = Record<string, Run>

export const WINDOW_MS = 18e5

/**
 * Records a `step`, `complete` or `abandon` (already shaped into an event with its workflow;
 * the last two close the run), after reporting every run idle past the window as abandoned.
 * Called with nothing, it only does the latter, as it does on every page load. A lapsed run's
 * event id comes from the run, so two tabs that notice the same lapse store one event.
 */
export function workflowEvent(event?: Partial<Event>, close?: unknown): void {
  if (off()) return
  const runs = get<Runs>('sw_r') || {}
  const emit = (workflow: string, e: Partial<Event>, close: unknown) => {
    // A new start is a new attempt; the collector times out the run it leaves open.
    const r: Partial<Run> = (e.step != 'start' && runs[workflow]) || [newId()]
    const ts = e.ts || Date.now()
    // An abandon with no run open has no step to report, and is dropped.
    if ((e.step ||= r[2])) {
      track({ value: r[1] && (ts - r[1]) / 1e3, ...e, type: 'step', workflow, run: r[0] })
      runs[workflow] = [r[0]!, ts, e.step]
      if (close) delete runs[workflow]
    }
  }
  for (const w in runs) {
    const [run, at] = runs[w]
    const ts = at + WINDOW_MS
    if (ts < Date.now()) emit(w, { status: 'abandoned', reason: 'timeout', ts, id: run + '.x' }, 1)
  }
  if (event) emit(event.workflow!, event, close)
  set('sw_r', runs)
}
