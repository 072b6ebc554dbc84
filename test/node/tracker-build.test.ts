import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTracker, bundleTracker, compressedSizes } from '../../tracker/build'

/** DESIGN §4: the tracker's budget, enforced here so going over fails the build. */
const BUDGET_GZIP = 2048

const out = mkdtempSync(join(tmpdir(), 'stepwise-tracker-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('the built tracker', () => {
  it(`fits in ${BUDGET_GZIP} bytes gzipped`, async () => {
    const size = compressedSizes(await bundleTracker())
    console.log(`tracker t.js: ${size.raw} B raw, ${size.gzip} B gzip, ${size.brotli} B brotli`)
    expect(size.gzip).toBeLessThanOrEqual(BUDGET_GZIP)
  })

  it('is one IIFE that needs no eval, no new Function and no cookies', async () => {
    const code = await bundleTracker()
    expect(code).toMatch(/^\(\(\)=>\{[\s\S]*\}\)\(\);\s*$/)
    expect(code).not.toMatch(/\beval\(|Function\(|document\.cookie|\bimport\(|\brequire\(/)
  })

  it('writes t.js and a content-hashed copy to pin, with the same code', async () => {
    const { code, hashed } = await buildTracker(out)
    expect(hashed).toMatch(/^t\.[0-9a-f]{10}\.js$/)
    expect(readFileSync(join(out, 't.js'), 'utf8')).toBe(code)
    expect(readFileSync(join(out, hashed), 'utf8')).toBe(code)
  })

  it('keeps one hashed copy however often it is built', async () => {
    await buildTracker(out)
    await buildTracker(out)
    expect(readdirSync(out).filter((f) => /^t\..+\.js$/.test(f))).toHaveLength(1)
  })

  it('builds the demo page with the placeholder the Worker fills in, and only external scripts', async () => {
    await buildTracker(out)
    const html = readFileSync(join(out, 'demo', 'index.html'), 'utf8')
    expect(html).toContain('data-site="__STEPWISE_SITE__"')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(readdirSync(join(out, 'demo')).sort()).toEqual(['demo.css', 'demo.js', 'index.html'])
  })
})
