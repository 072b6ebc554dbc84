/** `npm start`'s migration step: one line per migration, errors in full (real wrangler, temp state). */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { applyLocalMigrations } from '../../scripts/apply-migrations'

const WRANGLER = join('node_modules', '.bin', 'wrangler')
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const dir = mkdtempSync(join(tmpdir(), 'stepwise-migrations-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function printed(run: () => void): string[] {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    run()
    return log.mock.calls.map((c) => String(c[0]))
  } finally {
    log.mockRestore()
  }
}

describe('applyLocalMigrations', () => {
  const files = readdirSync('migrations')
    .filter((f) => f.endsWith('.sql'))
    .sort()

  it('prints one line per migration applied, then says it is up to date', () => {
    const first = printed(() => applyLocalMigrations(WRANGLER, env, ['--persist-to', dir]))
    expect(first).toEqual(files.map((f) => `  applied ${f}`))
    const again = printed(() => applyLocalMigrations(WRANGLER, env, ['--persist-to', dir]))
    expect(again).toEqual([`  up to date (${files.length} migrations)`])
  }, 120_000)

  it("shows all of wrangler's output when it fails", () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(() => applyLocalMigrations(WRANGLER, env, ['--no-such-flag'])).toThrow(/failed/)
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/Unknown arguments?: .*such-flag/)
    } finally {
      err.mockRestore()
    }
  }, 60_000)
})
