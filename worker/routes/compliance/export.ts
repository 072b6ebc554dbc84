/**
 * `GET /v1/sites/:site/export` (admin, audited; DESIGN §10): raw events as NDJSON or CSV,
 * streamed a page at a time, one event type after the other, each type in time order.
 *
 * Resuming: every line (NDJSON) or record (CSV) carries `cursor`, the position after it, so a
 * download that broke goes on with the cursor of the last whole line, without a gap or a
 * duplicate. A response holds at most `limit` events (D1 runs at most 1,000 queries per
 * invocation; a page of 1,000 is one). NDJSON ends with `{"next_cursor": …}` — null when
 * everything was sent; a body without that line broke. CSV has no trailer: a response of
 * fewer than `limit` records that ended cleanly is the last one.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { auditStatement } from '../../db/audit'
import { EXPORT_EVENT_COLUMNS, eventSections } from '../../db/event-export'
import type { AppEnv } from '../../env'
import { csvLine } from '../../lib/csv'
import type { CursorValue } from '../../lib/cursor'
import { ApiError } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { EVENT_TYPES } from '../../schemas'
import { calendarDay, cursorOf, dayRange } from './query'
import { exportedEvent, pagesWithCursors, positionOf, pullStream } from './stream'

/** Events one response may hold: 100 pages of 1,000, plus one query per empty event type. */
export const MAX_EXPORT_ROWS = 100_000

export const ExportQuerySchema = z
  .object({
    format: z.enum(['ndjson', 'csv']).default('ndjson'),
    from: calendarDay.optional(),
    to: calendarDay.optional(),
    type: z.enum(EVENT_TYPES).optional(),
    cursor: cursorOf((v: CursorValue[]): v is CursorValue[] => typeof v[0] === 'string').optional(),
    limit: z.coerce.number().int().min(1).max(MAX_EXPORT_ROWS).default(MAX_EXPORT_ROWS),
  })
  .strict()

const FORMATS = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
}

const exporter = new Hono<AppEnv>().get(
  '/',
  requireRole('admin'),
  validQuery(ExportQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const siteId = c.req.param('site')!
    const { from, to } = dayRange(q)
    if (from !== undefined && to !== undefined && from >= to) {
      throw new ApiError(400, 'invalid_query', 'from must not be after to')
    }
    const sections = eventSections({ siteId, type: q.type, from, to })
    const start = q.cursor ? positionOf(sections, q.cursor) : { section: 0, after: null }
    if (!start) {
      throw new ApiError(400, 'invalid_query', 'cursor: it belongs to another export or type')
    }
    await auditStatement(c.env.DB, siteId, c.get('key').id, 'events.export', {
      format: q.format,
      type: q.type ?? null,
      from: c.req.query('from') ?? null,
      to: c.req.query('to') ?? null,
      resumed: Boolean(q.cursor),
    }).run()
    const pages = pagesWithCursors(c.env.DB, sections, start, q.limit)
    const body = q.format === 'csv' ? csv(pages) : ndjson(pages)
    return c.body(pullStream(body), 200, {
      'content-type': FORMATS[q.format],
      'content-disposition': `attachment; filename="${siteId}-events.${q.format}"`,
      'cache-control': 'no-store',
    })
  },
)

type Pages = ReturnType<typeof pagesWithCursors>

async function* ndjson(pages: Pages) {
  for (;;) {
    const step = await pages.next()
    if (step.done) {
      yield JSON.stringify({ next_cursor: step.value }) + '\n'
      return
    }
    yield step.value.rows
      .map(({ row, cursor }) => JSON.stringify({ ...exportedEvent(row), cursor }) + '\n')
      .join('')
  }
}

async function* csv(pages: Pages) {
  yield csvLine([...EXPORT_EVENT_COLUMNS, 'cursor'])
  for await (const page of pages) {
    yield page.rows
      .map(({ row, cursor }) => csvLine([...EXPORT_EVENT_COLUMNS.map((k) => row[k]), cursor]))
      .join('')
  }
}

export default exporter
