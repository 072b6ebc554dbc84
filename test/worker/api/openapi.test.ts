/**
 * `GET /v1/openapi.json` is a sound OpenAPI 3.1 document of every route in the table, and
 * `GET /docs` renders every one of its operations.
 */
import { describe, expect, it } from 'vitest'
import type { OpenApiDocument, Operation } from '../../../worker/openapi/document'
import { ROUTES, errorsOf } from '../../../worker/openapi/route-table'
import { call } from '../helpers'

const HEADERS = { 'cf-connecting-ip': '192.0.2.80' }
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

async function fetchDoc() {
  const res = await call('/v1/openapi.json', { headers: HEADERS })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/)
  return (await res.json()) as OpenApiDocument
}

function operations(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Operation })),
  )
}

/** Every `$ref` in the document, with the JSON pointer it names resolved (or undefined). */
function refs(doc: unknown): { ref: string; target: unknown }[] {
  const found: { ref: string; target: unknown }[] = []
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk)
    if (typeof v !== 'object' || v === null) return
    for (const [k, child] of Object.entries(v)) {
      if (k === '$ref' && typeof child === 'string')
        found.push({ ref: child, target: resolve(child) })
      else walk(child)
    }
  }
  const resolve = (ref: string) =>
    ref.startsWith('#/')
      ? ref
          .slice(2)
          .split('/')
          .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
          .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc)
      : undefined
  walk(doc)
  return found
}

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with a title, a version and paths', async () => {
    const doc = await fetchDoc()
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info.title).toBeTruthy()
    expect(doc.info.version).toBeTruthy()
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\//)
  })

  it('lists every route of the table with its method', async () => {
    const doc = await fetchDoc()
    const listed = operations(doc).map((o) => `${o.method} ${o.path}`)
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort())
  })

  it('gives every operation a unique id, its success answer and every error it can give', async () => {
    const doc = await fetchDoc()
    const ops = operations(doc)
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length)
    for (const { path, method, op } of ops) {
      expect(METHODS).toContain(method)
      const route = ROUTES.find((r) => r.path === path && r.method === method)!
      const expected = [route.status, ...errorsOf(route)].map(String).sort()
      expect(Object.keys(op.responses).sort(), `${method} ${path}`).toEqual(expected)
      for (const r of Object.values(op.responses)) {
        expect('$ref' in r || typeof r.description === 'string').toBe(true)
      }
    }
  })

  it('declares each path parameter of a path, and no other', async () => {
    const doc = await fetchDoc()
    for (const { path, op } of operations(doc)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      const declared = op.parameters.filter((p) => p.in === 'path')
      expect(declared.map((p) => p.name)).toEqual(templated)
      for (const p of declared) expect(p.required).toBe(true)
      for (const p of op.parameters) expect(p.schema, `${path} ${p.name}`).toBeTypeOf('object')
    }
  })

  it('takes query parameters from the query schemas', async () => {
    const doc = await fetchDoc()
    const names = (path: string, method = 'get') =>
      (doc.paths[path] as Record<string, Operation>)[method].parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
    expect(names('/v1/sites/{site}/dropoffs')).toEqual(
      expect.arrayContaining([
        'period',
        'from',
        'to',
        'tier',
        'device',
        'feature',
        'limit',
        'refresh',
      ]),
    )
    expect(names('/v1/sites/{site}/retention')).toEqual(
      expect.arrayContaining(['interval', 'mode']),
    )
    expect(names('/v1/sites/{site}/alerts/deliveries')).toEqual(['limit', 'cursor'])
  })

  it('resolves every $ref', async () => {
    const doc = await fetchDoc()
    const found = refs(doc)
    expect(found.length).toBeGreaterThan(0)
    expect(found.filter((r) => r.target === undefined).map((r) => r.ref)).toEqual([])
  })

  it('names only declared security schemes, with role names for secret keys', async () => {
    const doc = await fetchDoc()
    const schemes = Object.keys(doc.components.securitySchemes as object)
    for (const { op } of operations(doc)) {
      for (const requirement of op.security) {
        for (const [name, roles] of Object.entries(requirement)) {
          expect(schemes).toContain(name)
          for (const role of roles as string[]) expect(['ingest', 'read', 'admin']).toContain(role)
        }
      }
    }
  })

  it('describes each body with its schema, and each example is a body the schema takes', async () => {
    const doc = await fetchDoc()
    for (const route of ROUTES.filter((r) => r.body)) {
      const op = (doc.paths[route.path] as Record<string, Operation>)[route.method]
      const content = op.requestBody!.content['application/json']
      expect(content.schema.type, route.path).toBe('object')
      expect(route.body!.safeParse(route.example).success, `${route.path} example`).toBe(true)
      expect(content.example).toEqual(route.example)
    }
  })

  it('shows the events of a batch with the event schema they are judged by', async () => {
    const doc = await fetchDoc()
    const batch = doc.paths['/v1/events']!.post!.requestBody!.content['application/json'].schema
    const items = batch.properties!.events.items as { properties: Record<string, unknown> }
    expect(Object.keys(items.properties)).toEqual(
      expect.arrayContaining(['id', 'type', 'ts', 'props']),
    )
  })
})

describe('GET /docs', () => {
  it('renders every operation of the document, with its auth', async () => {
    const doc = await fetchDoc()
    const res = await call('/docs', { headers: HEADERS })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const page = (await res.text()).replace(/\s+/g, ' ')
    for (const { path, method, op } of operations(doc)) {
      expect(page).toContain(`id="${op.operationId}" data-method="${method}" data-path="${path}"`)
    }
    expect(page).toContain('A secret key with the role read or admin')
  })

  it('runs no script: the policy allows only its own style', async () => {
    const res = await call('/docs', { headers: HEADERS })
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).not.toMatch(/script-src/)
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/)
    expect(await res.text()).not.toMatch(/<script/i)
  })
})
