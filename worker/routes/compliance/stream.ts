/**
 * Export bodies as streams (DESIGN §10): the reader pulls, and only then is the next page read
 * from D1, so a response of any length holds one page in memory.
 */
import { keyOf, walk, type Position, type Row, type Section } from '../../db/keyset'
import { encodeCursor, type CursorValue } from '../../lib/cursor'

/** A byte stream that asks `chunks` for its next non-empty piece when the reader wants one. */
export function pullStream(chunks: AsyncGenerator<string, void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        const { value, done } = await chunks.next()
        if (done) return controller.close()
        if (value) return controller.enqueue(encoder.encode(value))
      }
    },
    async cancel() {
      await chunks.return()
    },
  })
}

/** A position as the cursor a client sends back: the section's name, then the key after. */
export function cursorAt(sections: Section[], p: Position): string {
  return encodeCursor([sections[p.section].name, ...(p.after ?? [])])
}

/** The position a cursor names in `sections`, or null if it names none of them. */
export function positionOf(sections: Section[], values: CursorValue[]): Position | null {
  const [name, ...after] = values
  const section = sections.findIndex((s) => s.name === name)
  if (section < 0) return null
  if (after.length && after.length !== sections[section].key.length) return null
  return { section, after: after.length ? after : null }
}

/** An event row as exported: props as the object it was sent as, no empty fields. */
export function exportedEvent(row: Row): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(row)) {
    if (v === null) continue
    out[k] = k === 'props' && typeof v === 'string' ? propsOf(v) : v
  }
  return out
}

/** Ingest stores props as JSON; any other text is kept as it is rather than break the stream. */
function propsOf(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Each page of a walk with the cursor after each of its rows, then where to go on. */
export async function* pagesWithCursors(
  db: D1Database,
  sections: Section[],
  start: Position,
  maxRows: number,
): AsyncGenerator<{ section: number; rows: { row: Row; cursor: string }[] }, string | null> {
  const pages = walk(db, sections, start, maxRows)
  for (;;) {
    const step = await pages.next()
    if (step.done) return step.value && cursorAt(sections, step.value)
    const s = sections[step.value.section]
    yield {
      section: step.value.section,
      rows: step.value.rows.map((row) => ({
        row,
        cursor: cursorAt(sections, { section: step.value.section, after: keyOf(s, row) }),
      })),
    }
  }
}
