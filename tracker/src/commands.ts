/**
 * `sw(command, ...)`, the tracker's whole public API (DESIGN §4). Whatever it is called with,
 * it returns nothing and throws nothing: a bad call is dropped here or rejected by the server.
 * `identify` switches to the bank's pseudonymous user id and tier (see track.ts).
 */
import type { Event } from '../../worker/schemas'
import { consent } from './privacy'
import { track } from './track'
import { workflowEvent } from './workflows'

/**
 * command → [field its first argument fills, field its second fills, defaults]; an options
 * object follows the arguments.
 */
const SHAPES: Record<string, [string, string?, Partial<Event>?]> = {
  feature: ['feature'],
  stage: ['stage'],
  conversion: ['name'],
  connection: ['institution'],
  feedback: ['feature', 'value'],
  metric: ['name', 'value'],
  identify: ['uid'],
  step: ['workflow', 'step'],
  complete: ['workflow', , { step: 'complete', status: 'completed' }],
  abandon: ['workflow', 'reason', { status: 'abandoned' }],
}

export function sw(command?: unknown, a?: unknown, b?: unknown, c?: unknown): void {
  try {
    if (command == 'consent') return consent(a)
    // An unknown command (or an inherited name such as `toString`) throws here, caught below.
    const [first, second, defaults] = SHAPES[command as string]
    const opts = second ? c : b
    if (typeof a != 'string') return
    const e = {
      ...defaults,
      // Options that are not an object (a string spreads into "0", "1", …) make an event the
      // collector rejects, and nothing worse.
      ...(opts as object),
      type: command,
      [first]: a,
      ...(second && { [second]: b }),
    } as Partial<Event>
    if (e.workflow) workflowEvent(e, command != 'step')
    else track(e)
  } catch {}
}
