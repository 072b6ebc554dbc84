/**
 * The npm package `stepwise/tracker` (tracker/package.json), as built by `npm run build` into
 * tracker/dist: named ES module exports from the same modules as t.js, no globals unless
 * asked, and the same delivery, against the pretend page of the other tracker tests.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildPackage } from '../../tracker/build'
import { closePage, newPage, type Page } from './support/tracker-page'

const DIST = join(process.cwd(), 'tracker', 'dist')
type Package = {
  init: (o: { site: string; api: string; pageviews?: boolean; global?: boolean }) => void
  track: (command: string, ...args: unknown[]) => void
}

beforeAll(() => buildPackage())

let page: Page
beforeEach(() => {
  page = newPage()
  vi.stubGlobal('document', { hidden: false })
})
afterEach(closePage)

async function load(): Promise<Package> {
  vi.resetModules()
  // A computed specifier keeps the root type check out of the built file.
  return import(join(DIST, 'tracker.js') + `?v=${Math.random()}`)
}

describe('stepwise/tracker', () => {
  it('is what tracker/package.json exports, an ES module with its types', () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'tracker', 'package.json'), 'utf8'))
    expect(pkg.name).toBe('stepwise')
    expect(pkg.exports['./tracker']).toEqual({
      types: './dist/tracker.d.ts',
      import: './dist/tracker.js',
    })
    const code = readFileSync(join(DIST, 'tracker.js'), 'utf8')
    expect(code).toMatch(/^export \{[^}]*\binit\b[^}]*\}/m)
    // Not the script tag's: no currentScript, no stub to take over.
    expect(code).not.toContain('currentScript')
    const types = readFileSync(join(DIST, 'tracker.d.ts'), 'utf8')
    expect(types).toContain('export declare function init(options: InitOptions): void')
  })

  it('sends to the api it is given, sets no global, and sends what it tracks', async () => {
    const { init, track } = await load()
    track('conversion', 'before_init') // queued like any event; sent once init names the api
    init({ site: 'pk_pkg', api: 'https://stats.bank.example/v1/events' })
    track('identify', 'cust_1')
    track('step', 'account_linking', 'start')
    await page.wait(2000)
    expect((globalThis as { sw?: unknown }).sw).toBeUndefined()
    expect(page.sent).toHaveLength(1)
    expect(page.sent[0].url).toBe('https://stats.bank.example/v1/events')
    expect(JSON.parse(page.sent[0].body).site).toBe('pk_pkg')
    expect(page.events().map((e) => e.type)).toEqual(['conversion', 'page', 'identify', 'step'])
    expect(page.events()[2].props).toMatchObject({ anon_id: page.events()[0].uid })
  })

  it('sets window.sw when asked, counts no pageview when told not to, and beacons on leaving', async () => {
    const { init } = await load()
    init({ site: 'pk_pkg', api: 'https://c.example/v1/events', pageviews: false, global: true })
    const sw = (globalThis as unknown as { sw: Package['track'] }).sw
    sw('conversion', 'via_global')
    page.fire('pagehide')
    expect(page.sent.map((s) => s.via)).toEqual(['beacon'])
    expect(page.events().map((e) => e.name ?? e.type)).toEqual(['via_global'])
  })
})
