/** The built dashboard (npm test builds first): size budget, and nothing the CSP would block. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DASHBOARD_BUDGET_BYTES, measureDashboard } from '../../bench/dashboard'

const OUT = join(process.cwd(), 'dist', 'public')

describe('dashboard bundle', () => {
  it('loads at most 60 KB of gzipped JavaScript before the first view', () => {
    const size = measureDashboard()
    expect(size.initialFiles.length).toBeGreaterThan(0)
    expect(size.initialGzip).toBeLessThanOrEqual(DASHBOARD_BUDGET_BYTES)
  })

  it('ships no zod: the dashboard imports the wire format as types only', () => {
    const { allFiles } = measureDashboard()
    expect(allFiles.some((f) => /journeys-/.test(f))).toBe(true)
    const code = allFiles.map((f) => readFileSync(join(OUT, f), 'utf8')).join('\n')
    expect(code).not.toMatch(/ZodError|\$ZodType/)
  })

  it('has no inline script or style in index.html, which the CSP forbids', () => {
    const html = readFileSync(join(OUT, 'index.html'), 'utf8')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toMatch(/<style|\sstyle=/)
  })
})
