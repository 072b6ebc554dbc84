/**
 * Requests to any route of the table (worker/openapi/route-table.ts), for the tests generated
 * from it: path parameters filled in, the route's example body, a credential of one kind.
 */
import { env, exports } from 'cloudflare:workers'
import type { RouteSpec } from '../../../worker/openapi/route-table'
import { BROWSER_UA, createKey, createSite, ORIGIN, type TestSite } from '../helpers'

/** Who is calling: nobody, a made-up key, the operator, or a key of this or another site. */
export const CREDENTIALS = [
  'none',
  'wrong_key',
  'admin_token',
  'public_key',
  'other_site_admin',
  'ingest',
  'read',
  'admin',
] as const
export type Credential = (typeof CREDENTIALS)[number]

export type Fixture = { site: TestSite; tokens: Record<Credential, string | undefined> }

/** A site with a key of every role, and another site whose admin key must get nowhere here. */
export async function fixture(): Promise<Fixture> {
  const [site, other] = [await createSite(), await createSite()]
  return {
    site,
    tokens: {
      none: undefined,
      wrong_key: 'sk_thisKeyWasNeverIssuedToAnyone00',
      admin_token: env.ADMIN_TOKEN,
      public_key: site.pk,
      other_site_admin: other.admin,
      ingest: await createKey(site, 'ingest'),
      read: await createKey(site, 'read'),
      admin: site.admin,
    },
  }
}

/** Values for path parameters that name nothing that exists, so no call changes much. */
const PARAMS: Record<string, string> = {
  id: 'nosuch0000',
  rule: 'no-such-rule',
  name: 'no_such_workflow',
  uid: 'user-from-a-test',
}

export function pathOf(route: RouteSpec, siteId: string): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(name === 'site' ? siteId : (PARAMS[name] ?? 'x')),
  )
}

type Send = {
  token?: string
  body?: string
  contentType?: string
  client: string
  origin?: boolean
}

/** One request to `path`; `client` is the address the client limit counts it under. */
export function send(route: RouteSpec, path: string, o: Send): Promise<Response> {
  const headers: Record<string, string> = { 'cf-connecting-ip': o.client, 'user-agent': BROWSER_UA }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  if (o.origin) headers.origin = ORIGIN
  if (o.body !== undefined) headers['content-type'] = o.contentType ?? 'application/json'
  return exports.default.fetch(`http://stepwise.test${path}`, {
    method: route.method.toUpperCase(),
    headers,
    body: o.body,
  })
}

/**
 * The route's example body, sent with the credential as the route expects it: a public key
 * goes in the collector's body (from an allowed origin), any other as a bearer token.
 */
export function sendAs(route: RouteSpec, f: Fixture, credential: Credential, client: string) {
  const token = f.tokens[credential]
  const path = pathOf(route, f.site.id)
  const body = route.body ? (route.example as Record<string, unknown>) : undefined
  if (route.auth === 'public_or_ingest' && credential === 'public_key') {
    return send(route, path, {
      body: JSON.stringify({ ...body, site: token }),
      client,
      origin: true,
    })
  }
  return send(route, path, { token, body: body && JSON.stringify(body), client })
}
