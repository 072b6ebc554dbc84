/**
 * The authorization matrix, generated from the route table: every route × every kind of
 * caller gets the answer the route's auth says — 401 without a valid credential, 403 with a
 * key of another site or without the role, anything else (not 401/403) when allowed. A route
 * added to the table is covered without writing a test.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, type RouteSpec } from '../../../worker/openapi/route-table'
import { CREDENTIALS, fixture, sendAs, type Credential, type Fixture } from './route-requests'

type Expected = 401 | 403 | 'allowed'

/** What the route's auth lets each caller do. */
function expected(route: RouteSpec, who: Credential): Expected {
  const { auth } = route
  if (auth === 'none') return 'allowed'
  if (auth === 'admin_token') return who === 'admin_token' ? 'allowed' : 401
  if (auth === 'public_or_ingest' && who === 'public_key') return 'allowed'
  const roles = auth === 'public_or_ingest' ? ['ingest'] : auth
  if (who === 'other_site_admin') {
    return route.path.includes('{site}') ? 403 : roles.includes('admin') ? 'allowed' : 403
  }
  if (who === 'ingest' || who === 'read' || who === 'admin') {
    return roles.includes(who) ? 'allowed' : 403
  }
  return 401
}

let f: Fixture
beforeAll(async () => {
  f = await fixture()
})

const CLIENT = '192.0.2.81'
let requests = 0

describe.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
  '%s',
  (_, route) => {
    it('answers every kind of caller as its auth says', async () => {
      const wrong: string[] = []
      for (const who of CREDENTIALS) {
        const res = await sendAs(route, f, who, CLIENT)
        requests++
        await res.body?.cancel()
        const want = expected(route, who)
        const ok =
          res.status < 500 &&
          (want === 'allowed' ? res.status !== 401 && res.status !== 403 : res.status === want)
        if (!ok) wrong.push(`${who}: ${res.status}, expected ${want}`)
      }
      expect(wrong).toEqual([])
    })
  },
)

it('sent every route a request of every kind of caller', () => {
  expect(requests).toBe(ROUTES.length * CREDENTIALS.length)
  console.log(`authorization matrix: ${ROUTES.length} routes × ${CREDENTIALS.length} callers`)
})
