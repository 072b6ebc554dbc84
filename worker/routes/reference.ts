/**
 * The API's own reference: `GET /v1/openapi.json` (OpenAPI 3.1, generated from the route table
 * and its zod schemas) and `GET /docs`, the same document as a page. Both are the same for
 * every caller and change only with a deploy, so they are public and cacheable.
 */
import { Hono, type TypedResponse } from 'hono'
import type { JSONParsed } from 'hono/utils/types'
import type { AppEnv } from '../env'
import { DOCS_CSS, docsPage } from '../openapi/docs-page'
import { openApiDocument, type OpenApiDocument } from '../openapi/document'

const CACHE = 'public, max-age=300'

let built: { json: string; page: string; csp: string } | undefined

/** Built once per isolate: the table does not change while the Worker runs. */
async function reference() {
  if (built) return built
  const doc = openApiDocument()
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(DOCS_CSS))
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
  built = {
    json: JSON.stringify(doc),
    page: docsPage(doc),
    csp: `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  }
  return built
}

/** The document's text, built once, answered as the document it is. */
type DocumentResponse = Response & TypedResponse<JSONParsed<OpenApiDocument>, 200, 'json'>

const api = new Hono<AppEnv>()
  .get(
    '/v1/openapi.json',
    async (c) =>
      c.newResponse((await reference()).json, 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': CACHE,
      }) as DocumentResponse,
  )
  .get('/docs', async (c) => {
    const { page, csp } = await reference()
    return c.html(page, 200, { 'Cache-Control': CACHE, 'Content-Security-Policy': csp })
  })

export default api
