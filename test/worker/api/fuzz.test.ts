/**
 * Every route that takes a body, generated from the route table, gets hundreds of hostile
 * bodies (./hostile.ts, seeded) with a key that may call it: each answer is a success or a 4xx
 * in the one error shape, never a 5xx, and nothing leaks onto Object.prototype.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { bodySchema } from '../../../worker/openapi/document'
import { ROUTES, type RouteSpec } from '../../../worker/openapi/route-table'
import { createKey } from '../helpers'
import { hostileBody, random } from './hostile'
import { fixture, pathOf, send, type Fixture } from './route-requests'

const PER_ROUTE = 500
const SEED = 20260112
const BODY_ROUTES = ROUTES.filter((r) => r.body)

let f: Fixture
beforeAll(async () => {
  f = await fixture()
})

/** A fresh key per route, so no key's rate limit is what answers. */
async function tokenFor(route: RouteSpec): Promise<string> {
  const { auth } = route
  if (auth === 'admin_token') return f.tokens.admin_token!
  if (auth === 'none') return ''
  const role = auth === 'public_or_ingest' ? 'ingest' : auth[0]
  return createKey(f.site, role)
}

function seedOf(route: RouteSpec): number {
  let h = SEED
  for (const ch of `${route.method} ${route.path}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  return h >>> 0
}

/** Events stamped now, so the valid ones are stored and the checks behind ts are reached. */
function exampleOf(route: RouteSpec, publicKey: string | null): unknown {
  if (!route.items) return route.example
  const example = route.example as Record<string, unknown[]>
  const events = example[route.items.field].map((e) => ({ ...(e as object), ts: Date.now() }))
  return { ...example, [route.items.field]: events, ...(publicKey ? { site: publicKey } : {}) }
}

function isErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error
  return typeof error?.code === 'string' && typeof error.message === 'string'
}

let sent = 0

describe.each(BODY_ROUTES.map((r, i) => [`${r.method.toUpperCase()} ${r.path}`, r, i] as const))(
  '%s',
  (name, route, index) => {
    it(`answers ${PER_ROUTE} hostile bodies with a success or a 4xx, never a 5xx`, async () => {
      const r = random(seedOf(route))
      const schema = bodySchema(route)!
      const token = await tokenFor(route)
      const path = pathOf(route, f.site.id)
      const client = `198.51.100.${index + 1}`
      const statuses = new Map<number, number>()
      const wrong: string[] = []
      for (let i = 0; i < PER_ROUTE; i++) {
        // The collector's two doors: half the bodies come from a page with the public key.
        const page = route.auth === 'public_or_ingest' && i % 2 === 1
        const body = hostileBody(r, exampleOf(route, page ? f.site.pk : null), schema)
        const res = await send(route, path, {
          token: page ? undefined : token,
          origin: page,
          body,
          contentType: page ? 'text/plain;charset=UTF-8' : 'application/json',
          client,
        })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const text = await res.text()
        const shaped = res.status < 400 || isErrorShape(JSON.parse(text || 'null'))
        if (res.status >= 500 || !shaped) {
          wrong.push(`#${i} ${res.status} ${text.slice(0, 120)} for ${body.slice(0, 160)}`)
        }
      }
      sent += PER_ROUTE
      console.log(`${name}: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
      expect(wrong).toEqual([])
      expect(Object.prototype).not.toHaveProperty('polluted')
    }, 600_000)
  },
)

it('sent every body route its hostile bodies', () => {
  console.log(`fuzz: ${sent} hostile bodies to ${BODY_ROUTES.length} routes, seed ${SEED}`)
  expect(sent).toBe(PER_ROUTE * BODY_ROUTES.length)
})
