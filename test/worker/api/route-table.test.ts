/**
 * The route table (worker/openapi/route-table.ts) is what the OpenAPI document, /docs, the
 * authorization matrix and the fuzz test are made from, so it must name exactly the app's
 * routes: a route added without a table entry fails here.
 */
import { inspectRoutes } from 'hono/dev'
import { describe, expect, it } from 'vitest'
import { app } from '../../../worker/index'
import { ROUTES } from '../../../worker/openapi/route-table'

/** Pages, not API calls: described in the README, not in the OpenAPI document. */
const PAGES = ['GET /demo/{file}', 'GET /demo/*', 'GET /docs']

/** Hono's `:site` and `:file{regex}` as OpenAPI's `{site}`, without a trailing slash. */
const openApiPath = (path: string) =>
  path.replace(/:(\w+)(\{[^/]*\})?/g, '{$1}').replace(/(.)\/$/, '$1')

const appRoutes = [
  ...new Set(
    inspectRoutes(app)
      .filter((r) => !r.isMiddleware)
      .map((r) => `${r.method} ${openApiPath(r.path)}`),
  ),
].filter((r) => !PAGES.includes(r))
const tableRoutes = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`)

describe('the route table', () => {
  it('has an entry for every route of the app', () => {
    expect(appRoutes.filter((r) => !tableRoutes.includes(r))).toEqual([])
  })

  it('names no route the app does not have', () => {
    expect(tableRoutes.filter((r) => !appRoutes.includes(r))).toEqual([])
  })

  it('names each route once', () => {
    expect(tableRoutes.length).toBe(new Set(tableRoutes).size)
  })
})
