/**
 * The import CLI's reader (scripts/import/ndjson-batches.ts): batches of events from a byte
 * offset, each ending where the next run may resume — exact across multi-byte characters,
 * blank lines, bad lines and a last line without a newline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ndjsonBatches, type Batch } from '../../scripts/import/ndjson-batches'

const dir = mkdtempSync(join(tmpdir(), 'stepwise-ndjson-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const LIMITS = { events: 2, bytes: 1_000_000, lineBytes: 200 }

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function read(path: string, start = { offset: 0, line: 0 }, limits = LIMITS) {
  const batches: Batch[] = []
  for await (const b of ndjsonBatches(path, start, limits)) batches.push(b)
  return batches
}

const lines = [
  '{"id":"a","path":"/zürich"}',
  '',
  '{"id":"b","path":"/€"}',
  '{"id":"c"}',
  '{"id":"d"}',
]

describe('ndjsonBatches', () => {
  it('reads events in batches of the limit, each with the line numbers of its events', async () => {
    const batches = await read(file('a.ndjson', lines.join('\n') + '\n'))
    expect(batches.map((b) => b.events.map((e) => (e as { id: string }).id))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(batches.map((b) => b.lines)).toEqual([
      [1, 3],
      [4, 5],
    ])
  })

  it('ends each batch at the byte offset after its last line, however wide its characters', async () => {
    const text = lines.join('\n') + '\n'
    const [first, second] = await read(file('b.ndjson', text))
    expect(first.end).toEqual({
      offset: Buffer.byteLength(lines.slice(0, 3).join('\n') + '\n'),
      line: 3,
    })
    expect(second.end).toEqual({ offset: Buffer.byteLength(text), line: 5 })
  })

  it('resumes from a batch end with exactly the lines after it', async () => {
    const path = file('c.ndjson', lines.join('\n') + '\n')
    const [first] = await read(path)
    const rest = await read(path, first.end)
    expect(rest.flatMap((b) => b.lines)).toEqual([4, 5])
    expect(rest.flatMap((b) => b.events)).toEqual([{ id: 'c' }, { id: 'd' }])
  })

  it('reads a last line without a newline and ends at the end of the file', async () => {
    const text = '{"id":"a"}\n{"id":"ü"}'
    const batches = await read(file('d.ndjson', text), undefined, { ...LIMITS, events: 10 })
    expect(batches.flatMap((b) => b.events)).toEqual([{ id: 'a' }, { id: 'ü' }])
    expect(batches.at(-1)!.end).toEqual({ offset: Buffer.byteLength(text), line: 2 })
  })

  it('sets aside lines that are not JSON objects or are too long, with their line numbers', async () => {
    const text = ['not json', '[1,2]', '{"id":"ok"}', `{"id":"${'x'.repeat(300)}"}`].join('\n')
    const [batch] = await read(file('e.ndjson', text))
    expect(batch.events).toEqual([{ id: 'ok' }])
    expect(batch.unreadable).toEqual([
      { line: 1, reason: 'not valid JSON' },
      { line: 2, reason: 'not a JSON object' },
      { line: 4, reason: 'longer than 200 bytes' },
    ])
  })

  it('closes a batch once its events pass the byte limit', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `{"id":"e${i}"}`).join('\n')
    const batches = await read(file('f.ndjson', text), undefined, {
      ...LIMITS,
      events: 100,
      bytes: 30,
    })
    expect(batches.map((b) => b.events.length)).toEqual([3, 3, 3, 1])
  })
})
