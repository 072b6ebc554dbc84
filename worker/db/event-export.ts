/**
 * Raw events for `GET /v1/sites/:site/export` (DESIGN §10), walked as keyset pages of the
 * (site_id, type, ts) index, one event type after the other, so every page is one index seek
 * however far into the export it is, and nothing but the page is held in memory.
 */
import { EVENT_COLUMNS } from './events'
import type { Section } from './keyset'
import { EVENT_TYPES } from '../schemas'

/**
 * After `ts`, the rest of the events primary key (migrations/0009: site_id, id, source), which
 * the index holds in this order: (ts, id, source) is unique and an index order.
 */
export const EVENT_KEY = ['id', 'source'] as const

/** Every stored column but the site, by name, so a column added later is exported too. */
export const EXPORT_EVENT_COLUMNS: readonly string[] = [
  ...new Set(['id', 'source', ...EVENT_COLUMNS.filter((c) => c !== 'site_id')]),
]

export type ExportFilter = {
  siteId: string
  type?: (typeof EVENT_TYPES)[number]
  /** ms epoch, from ≤ ts < to */
  from?: number
  to?: number
}

/** One section per event type (one type when the filter names it), in a fixed order. */
export function eventSections(f: ExportFilter): Section[] {
  return (f.type ? [f.type] : EVENT_TYPES).map((type) => ({
    name: type,
    table: 'events',
    columns: EXPORT_EVENT_COLUMNS.join(', '),
    where: [
      { sql: 'site_id = ? AND type = ?', values: [f.siteId, type] },
      ...(f.to === undefined ? [] : [{ sql: 'ts < ?', values: [f.to] }]),
    ],
    start: f.from === undefined ? [] : [{ sql: 'ts >= ?', values: [f.from] }],
    key: ['ts', ...EVENT_KEY],
  }))
}
