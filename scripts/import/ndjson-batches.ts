/**
 * Reads an NDJSON file from a byte offset as batches of parsed events, each batch knowing the
 * byte offset and line number just after its last line, so an import can note where it got to
 * and start there next time. The file is streamed: a batch is read only once the previous one
 * was taken (async iteration), so a multi-gigabyte export never sits in memory.
 */
import { createReadStream } from 'node:fs'

export type Batch = {
  events: unknown[]
  /** Line number (1-based) of each event, for reporting a rejection by line. */
  lines: number[]
  /** Lines that are not a JSON object, or too long to send: never sent. */
  unreadable: { line: number; reason: string }[]
  /** Byte offset and line count after this batch's last line. */
  end: { offset: number; line: number }
}

export type BatchLimits = { events: number; bytes: number; lineBytes: number }

const NEWLINE = 0x0a

export async function* ndjsonBatches(
  file: string,
  start: { offset: number; line: number },
  limits: BatchLimits,
): AsyncGenerator<Batch> {
  let batch = emptyBatch(start)
  let bytes = 0
  let offset = start.offset
  let line = start.line
  let rest: Buffer = Buffer.alloc(0)
  const take = (raw: Buffer) => {
    offset += raw.length + 1
    line++
    const text = raw.toString('utf8').trim()
    batch.end = { offset, line }
    if (!text) return
    if (raw.length > limits.lineBytes) {
      batch.unreadable.push({ line, reason: `longer than ${limits.lineBytes} bytes` })
      return
    }
    let event: unknown
    try {
      event = JSON.parse(text)
    } catch {
      batch.unreadable.push({ line, reason: 'not valid JSON' })
      return
    }
    if (!event || typeof event !== 'object' || Array.isArray(event)) {
      batch.unreadable.push({ line, reason: 'not a JSON object' })
      return
    }
    batch.events.push(event)
    batch.lines.push(line)
    bytes += raw.length + 1
  }
  const full = () => batch.events.length >= limits.events || bytes >= limits.bytes
  for await (const chunk of createReadStream(file, { start: start.offset })) {
    let data = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer)
    for (let i = data.indexOf(NEWLINE); i >= 0; i = data.indexOf(NEWLINE)) {
      take(data.subarray(0, i))
      data = data.subarray(i + 1)
      if (full()) {
        yield batch
        batch = emptyBatch({ offset, line })
        bytes = 0
      }
    }
    rest = Buffer.from(data)
  }
  if (rest.length) {
    take(rest)
    // No newline after the last line: the offset must not point past the end of the file.
    batch.end.offset--
  }
  if (batch.events.length || batch.unreadable.length) yield batch
}

function emptyBatch(end: { offset: number; line: number }): Batch {
  return { events: [], lines: [], unreadable: [], end }
}
