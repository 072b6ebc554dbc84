/**
 * Keyset pages over one or more sections (a table, or one event type of it), for the exports
 * (DESIGN §10): each page seeks past the sort key of the last row it gave instead of counting
 * rows with OFFSET, so page 500 costs what page 1 does, and a position is just that key.
 */
import type { CursorValue } from '../lib/cursor'

export type Row = Record<string, unknown>
/** A condition with anonymous `?` placeholders and the values they take, in order. */
export type Condition = { sql: string; values: CursorValue[] }

export type Section = {
  /** Names the section in a cursor and in the export. */
  name: string
  table: string
  /** The select list; it must hold the key columns. */
  columns: string
  where: Condition[]
  /** Conditions of the first page only; a cursor lies past them already (e.g. `ts >= from`). */
  start?: Condition[]
  /** Unique sort key, ascending: an index's column order, so a page is one index seek. */
  key: readonly string[]
}

/** Where a walk resumes: after the row whose key is `after` in `sections[section]`. */
export type Position = { section: number; after: CursorValue[] | null }

export const PAGE_ROWS = 1000

/** The query of one page of `s` after the key values `after` (from the start when null). */
export function pageQuery(s: Section, after: CursorValue[] | null, limit: number) {
  const conditions = [
    ...s.where,
    ...(after
      ? [{ sql: `(${s.key.join(', ')}) > (${s.key.map(() => '?').join(', ')})`, values: after }]
      : (s.start ?? [])),
  ]
  return {
    sql: `SELECT ${s.columns} FROM ${s.table}
      WHERE ${conditions.map((c) => c.sql).join(' AND ')}
      ORDER BY ${s.key.join(', ')} LIMIT ?`,
    values: [...conditions.flatMap((c) => c.values), limit],
  }
}

async function sectionPage(
  db: D1Database,
  s: Section,
  after: CursorValue[] | null,
  limit: number,
): Promise<Row[]> {
  const q = pageQuery(s, after, limit)
  const { results } = await db
    .prepare(q.sql)
    .bind(...q.values)
    .all<Row>()
  return results
}

export const keyOf = (s: Section, row: Row) => s.key.map((k) => row[k] as CursorValue)

/**
 * Every row of `sections` from `start`, a page at a time (one query each, an empty section
 * included), until `maxRows`: what it returns is where to go on, or null when all was given.
 */
export async function* walk(
  db: D1Database,
  sections: Section[],
  start: Position,
  maxRows: number,
): AsyncGenerator<{ section: number; rows: Row[] }, Position | null> {
  let left = maxRows
  for (let i = start.section, after = start.after; i < sections.length; i++, after = null) {
    for (;;) {
      if (left === 0) return { section: i, after }
      const limit = Math.min(PAGE_ROWS, left)
      const rows = await sectionPage(db, sections[i], after, limit)
      left -= rows.length
      yield { section: i, rows }
      if (rows.length < limit) break
      after = keyOf(sections[i], rows.at(-1)!)
    }
  }
  return null
}
