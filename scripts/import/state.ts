/**
 * Where an import got to: a small JSON file next to the input (`FILE.import-state.json`),
 * rewritten after every batch the server acknowledged. A run that dies (killed, offline, a
 * 5xx) leaves it behind, and the next run starts after the last acknowledged batch. Re-sending
 * that batch would be harmless anyway: the import is idempotent on event id.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'

export type ImportState = {
  /** The site and file it belongs to: another site or a changed file starts over. */
  site: string
  size: number
  mtime_ms: number
  /** Byte offset and line number after the last acknowledged batch. */
  offset: number
  line: number
  accepted: number
  duplicates: number
  rejected: number
}

export const stateFileOf = (file: string) => `${file}.import-state.json`

export function freshState(file: string, site: string): ImportState {
  const { size, mtimeMs } = statSync(file)
  return {
    site,
    size,
    mtime_ms: Math.round(mtimeMs),
    offset: 0,
    line: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
  }
}

/** The saved state, if it is this file's (same size and modification time) for this site. */
export function savedState(file: string, site: string): ImportState | null {
  const path = stateFileOf(file)
  if (!existsSync(path)) return null
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as ImportState
    const now = freshState(file, site)
    const same = saved.site === site && saved.size === now.size && saved.mtime_ms === now.mtime_ms
    return same && Number.isSafeInteger(saved.offset) && saved.offset <= now.size ? saved : null
  } catch {
    return null
  }
}

/** Written to a temporary file and renamed over the old one, so a kill never leaves half. */
export function saveState(file: string, state: ImportState): void {
  const path = stateFileOf(file)
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2))
  renameSync(`${path}.tmp`, path)
}

export function clearState(file: string): void {
  rmSync(stateFileOf(file), { force: true })
}
