/**
 * The raw events a funnel reads (DESIGN §7.3): one event type at a time, through the
 * (site_id, type, ts) index, in pages ordered by (ts, id), merged in time order across types.
 * Memory stays at one page per type; the scan stops after MAX_FUNNEL_EVENTS.
 */
import type { FunnelEvent, FunnelStep, StepField } from '../../analysis/funnel'
import { STEP_FIELDS } from '../../analysis/funnel'
import { resolvedUid } from '../aliases'

export type FunnelRow = FunnelEvent & { id: string }

/** Rows per query. */
export const FUNNEL_PAGE_SIZE = 5_000
/**
 * Events one funnel may read: 100 full pages, far inside D1's 1,000 queries per request and
 * a few MB of rows in flight. Past it the answer is computed on the events read so far (the
 * earliest ones) and says `truncated: true`.
 */
export const MAX_FUNNEL_EVENTS = 500_000

/**
 * `(ts, id) > (?3, ?4)` is the keyset: the next page starts where the last one ended. Each
 * `?n IS NULL OR field IN (json list)` narrows to the values the steps of this type pin; a
 * field that some step of the type leaves open is not narrowed. Steps are matched exactly in JS.
 */
export const FUNNEL_EVENTS_PAGE = `SELECT id, ts, type, ${resolvedUid('events')} AS uid, sid, feature, workflow, step, stage,
  name, path, tier, device, institution
FROM events
WHERE site_id = ?1 AND type = ?2 AND (ts, id) > (?3, ?4) AND ts < ?5
  AND (?6 IS NULL OR tier = ?6) AND (?7 IS NULL OR device = ?7)
  AND (?8 IS NULL OR feature IN (SELECT value FROM json_each(?8)))
  AND (?9 IS NULL OR workflow IN (SELECT value FROM json_each(?9)))
  AND (?10 IS NULL OR step IN (SELECT value FROM json_each(?10)))
  AND (?11 IS NULL OR stage IN (SELECT value FROM json_each(?11)))
  AND (?12 IS NULL OR name IN (SELECT value FROM json_each(?12)))
  AND (?13 IS NULL OR path IN (SELECT value FROM json_each(?13)))
ORDER BY ts, id
LIMIT ?14`

export type FunnelEventsQuery = {
  siteId: string
  steps: FunnelStep[]
  from: number
  to: number
  tier?: string
  device?: string
}

/** For one event type: per step field, the JSON list of pinned values, or null if open. */
export function narrowing(steps: FunnelStep[], type: string): (string | null)[] {
  const ofType = steps.filter((s) => s.type === type)
  return STEP_FIELDS.map((f: StepField) =>
    ofType.every((s) => s[f] !== undefined)
      ? JSON.stringify([...new Set(ofType.map((s) => s[f]))])
      : null,
  )
}

type Cursor = { type: string; rows: FunnelRow[]; pos: number; done: boolean }

/** Calls `onEvent` for every candidate event in (ts, id) order; says how many and if it stopped early. */
export async function scanFunnelEvents(
  db: D1Database,
  q: FunnelEventsQuery,
  onEvent: (e: FunnelRow) => void,
  limits = { page: FUNNEL_PAGE_SIZE, max: MAX_FUNNEL_EVENTS },
): Promise<{ scanned: number; truncated: boolean }> {
  const fetchPage = async (c: Cursor) => {
    const last = c.rows[c.rows.length - 1]
    const { results } = await db
      .prepare(FUNNEL_EVENTS_PAGE)
      .bind(
        q.siteId,
        c.type,
        last?.ts ?? q.from, // ids are never empty, so ('', from) lets every ts ≥ from through
        last?.id ?? '',
        q.to,
        q.tier ?? null,
        q.device ?? null,
        ...narrowing(q.steps, c.type),
        limits.page,
      )
      .all<FunnelRow>()
    c.rows = results
    c.pos = 0
    c.done = results.length < limits.page
  }
  const types = [...new Set(q.steps.map((s) => s.type))]
  const cursors: Cursor[] = types.map((type) => ({ type, rows: [], pos: 0, done: false }))
  await Promise.all(cursors.map(fetchPage))
  let scanned = 0
  for (;;) {
    let next: Cursor | undefined
    for (const c of cursors) {
      if (c.pos < c.rows.length && (!next || before(c.rows[c.pos], next.rows[next.pos]))) next = c
    }
    if (!next) return { scanned, truncated: false }
    if (scanned === limits.max) return { scanned, truncated: true }
    onEvent(next.rows[next.pos++])
    scanned++
    if (next.pos === next.rows.length && !next.done) await fetchPage(next)
  }
}

function before(a: FunnelRow, b: FunnelRow): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id)
}
