/**
 * `npm run import -- FILE.ndjson [--site S --key K --url U --batch N]`: brings a bank's history
 * into Stepwise through `POST /v1/sites/:site/import`, one event per line in the collector's
 * wire format (docs/api.md). The file is streamed in batches (5,000 events or 4 MB) with a
 * progress bar on stderr. After each acknowledged batch the byte offset is saved next to the
 * file (FILE.import-state.json), so a run that stops — killed, offline, the server down —
 * resumes there when started again; the import is idempotent on event id, so a batch sent
 * twice stores nothing twice. Rejected events are reported by line and do not stop the run.
 *
 * Defaults: --url http://localhost:8787, and --site/--key from the demo bank of `npm start`
 * (.wrangler/demo-keys.json); the key may also come from STEPWISE_ADMIN_KEY.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ndjsonBatches } from './import/ndjson-batches'
import { Progress } from './import/progress'
import { ImportStopped, sendBatch } from './import/send'
import { clearState, freshState, saveState, savedState } from './import/state'

/** Where `npm start` keeps the demo bank's keys (scripts/demo/site.ts DEMO_KEYS_FILE). */
const DEMO_KEYS = '.wrangler/demo-keys.json'
/** Under the endpoint's 5 MB, with room for the envelope. */
const BATCH_BYTES = 4 * 1024 * 1024

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    site: { type: 'string' },
    key: { type: 'string' },
    url: { type: 'string', default: 'http://localhost:8787' },
    batch: { type: 'string', default: '5000' },
  },
})
const file = positionals[0]
const demo = existsSync(DEMO_KEYS)
  ? (JSON.parse(readFileSync(DEMO_KEYS, 'utf8')) as { site_id?: string; admin?: string })
  : {}
const site = values.site ?? demo.site_id
const key = values.key ?? process.env.STEPWISE_ADMIN_KEY ?? demo.admin
const batchSize = Number(values.batch)
if (!file || !existsSync(file) || !site || !key || !(batchSize >= 1 && batchSize <= 5000)) {
  console.error(
    'Usage: npm run import -- FILE.ndjson [--site SITE_ID] [--key sk_ADMIN] [--url URL] [--batch 1-5000]\n' +
      (file && !existsSync(file) ? `No such file: ${file}\n` : '') +
      (!site || !key ? 'Name the site and an admin key (no demo keys found to default to).\n' : ''),
  )
  process.exit(2)
}

const state = savedState(file, site) ?? freshState(file, site)
if (state.offset > 0) {
  console.error(
    `Resuming after line ${state.line.toLocaleString('en')} (${file}.import-state.json)`,
  )
}
const progress = new Progress(statSync(file).size, state)
const byCode = new Map<string, number>()
const examples: string[] = []
const note = (line: number, code: string, message: string) => {
  byCode.set(code, (byCode.get(code) ?? 0) + 1)
  if (examples.length < 10) examples.push(`  line ${line}: ${code}: ${message}`)
}

try {
  const limits = { events: batchSize, bytes: BATCH_BYTES, lineBytes: 256 * 1024 }
  for await (const batch of ndjsonBatches(file, state, limits)) {
    for (const u of batch.unreadable) note(u.line, 'unreadable_line', u.reason)
    let rejected = batch.unreadable.length
    if (batch.events.length) {
      const answer = await sendBatch({ url: values.url!, site, key }, batch.events)
      state.accepted += answer.accepted
      state.duplicates += answer.duplicates ?? 0
      rejected += answer.rejected.length
      for (const r of answer.rejected) note(batch.lines[r.index], r.code, r.message)
    }
    state.rejected += rejected
    state.offset = batch.end.offset
    state.line = batch.end.line
    saveState(file, state)
    progress.update(state.offset, state)
  }
} catch (err) {
  if (!(err instanceof ImportStopped)) throw err
  progress.finish()
  console.error(
    `Stopped: ${err.message}\nEverything up to line ${state.line.toLocaleString('en')} is stored; ` +
      'run the same command again to resume there.',
  )
  process.exit(1)
}
progress.finish()
clearState(file)
const n = (x: number) => x.toLocaleString('en')
console.error(
  `Imported ${file}: ${n(state.accepted)} new events, ${n(state.duplicates)} already stored, ` +
    `${n(state.rejected)} rejected.`,
)
if (byCode.size) {
  console.error(
    `Rejected in this run: ${[...byCode].map(([c, k]) => `${c} ${n(k)}`).join(', ')}\n${examples.join('\n')}`,
  )
}
console.error('The days imported are rebuilt by the next rollup run (every minute).')
