/**
 * `/docs` in headless Chromium against `wrangler dev`: every operation of the OpenAPI document
 * the Worker serves is on the page with its method, path, auth and answers, its style is not
 * blocked by the page's own CSP, and it fits a 375 px phone.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenApiDocument } from '../../worker/openapi/document'
import { pageWidth } from './dashboard-page'
import { DESKTOP_UA, launchChromium } from './support/chromium'
import { startWorker, type RunningWorker } from './support/worker'

/** What the page gives functions Playwright runs in it (this project has no DOM types). */
type PageGlobals = { getComputedStyle: (el: unknown) => { backgroundColor: string } }

let worker: RunningWorker
let browser: Browser
let doc: OpenApiDocument
const problems: string[] = []

async function open(width: number): Promise<Page> {
  const context = await browser.newContext({
    userAgent: DESKTOP_UA,
    viewport: { width, height: 800 },
  })
  const page = await context.newPage()
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  const res = await page.goto(`${worker.url}/docs`)
  expect(res?.status()).toBe(200)
  return page
}

beforeAll(async () => {
  worker = await startWorker()
  browser = await launchChromium()
  doc = (await (await fetch(`${worker.url}/v1/openapi.json`)).json()) as OpenApiDocument
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await worker?.stop()
})

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op! })),
  )

describe('/docs', () => {
  it('shows every operation of /v1/openapi.json with its method, path, auth and answers', async () => {
    const page = await open(1280)
    const sections = page.locator('section.op')
    const shown = []
    for (const s of await sections.all()) {
      shown.push({
        id: await s.getAttribute('id'),
        heading: (await s.locator('h3').innerText()).replace(/\s+/g, ' ').trim(),
        auth: await s.locator('.auth').innerText(),
        answers: await s.locator('li > code.status').allTextContents(),
        visible: await s.isVisible(),
      })
    }
    expect(shown).toHaveLength(operations().length)
    for (const { path, method, op } of operations()) {
      const section = shown.find((s) => s.id === op.operationId)
      expect(section, `${method} ${path}`).toBeDefined()
      expect(section!.visible).toBe(true)
      expect(section!.heading.toLowerCase()).toBe(`${method} ${path}`.toLowerCase())
      expect(section!.auth).toMatch(/^Auth: \S/)
      expect(section!.answers).toEqual(Object.keys(op.responses))
    }
    expect(problems).toEqual([])
  })

  it('lists the body fields of a route, nested ones by path', async () => {
    const page = await open(1280)
    const fields = await page
      .locator('#post_v1_sites_By_site_funnel td:first-child code')
      .allTextContents()
    expect(fields).toEqual(
      expect.arrayContaining(['steps', 'steps[].type', 'steps[].workflow', 'window', 'order']),
    )
  })

  it('is styled (its CSP lets its own style through) and fits a 375 px phone', async () => {
    const page = await open(375)
    const look = {
      width: await pageWidth(page),
      card: await page
        .locator('section.op')
        .first()
        .evaluate(
          (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundColor,
        ),
    }
    expect(look.card).toBe('rgb(255, 255, 255)')
    expect(look.width).toBeLessThanOrEqual(375)
    expect(problems).toEqual([])
  })
})
