/**
 * The one way the dashboard talks to the API: Hono's typed client over the Worker's own routes
 * (`hc<AppType>`, DESIGN §10), same origin, `Authorization: Bearer sk_…`. A call's answer has
 * the type its route answers with, written once, in the route. Errors come back as ApiFailure
 * with the API's own message (DESIGN §6), and a 401 anywhere signs the person out, because
 * their key was revoked while they looked.
 */
import { hc, type ClientResponse } from 'hono/client'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import type { AppType } from '../../../worker/index'
import type { ErrorBody } from '../../../worker/schemas'

/** What a failure says besides its message, for the retry rule (lib/retry-once.ts) and the note. */
export type FailureDetail = {
  /** What failed, e.g. "GET /v1/sites/…/dashboard → 503 Service Unavailable". */
  what?: string
  /** A 429's Retry-After, in seconds. */
  retryAfterS?: number
  cause?: unknown
}

export class ApiFailure extends Error {
  // The console names an error by its class, which the bundle minifies to a letter.
  override name = 'ApiFailure'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: FailureDetail = {},
  ) {
    super(message, { cause: detail.cause })
  }
}

let onUnauthorized: (message: string) => void = () => {}

/** The app registers what to do when the key stops working (sign out with a message). */
export function handleUnauthorized(fn: (message: string) => void): void {
  onUnauthorized = fn
}

export type Api = ReturnType<typeof hc<AppType>>
/** The routes under `/v1/sites/:site`. */
export type SiteApi = Api['v1']['sites'][':site']

/** Empty and missing values are left out of the query string, as if not chosen. */
function searchParams(query: Record<string, string | string[]>): URLSearchParams {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v])
      if (one !== undefined && one !== '') q.append(k, one)
  }
  return q
}

export function apiClient(key: string): Api {
  return hc<AppType>('/', {
    headers: { authorization: `Bearer ${key}` },
    buildSearchParams: searchParams,
  })
}

type AnyResponse = ClientResponse<unknown, number, string>
/** What a call answers when it succeeds: the JSON its route sends with a 2xx. */
export type Answer<R> =
  R extends ClientResponse<infer T, infer S, string>
    ? S extends SuccessStatusCode
      ? T
      : never
    : never

/** Waits for a call of the typed client: its JSON when it succeeded, else an ApiFailure. */
export async function answer<R extends AnyResponse>(call: Promise<R>): Promise<Answer<R>> {
  let res: R
  try {
    res = await call
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiFailure(0, 'network', 'Stepwise cannot be reached. Check your connection.')
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  if (res.ok && json !== undefined) return json as Answer<R>
  const error = (json as ErrorBody | undefined)?.error
  const failure = new ApiFailure(
    res.status,
    error?.code ?? 'http_' + res.status,
    error?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
  )
  if (res.status === 401) onUnauthorized(failure.message)
  throw failure
}

/**
 * A client bound to one key and site: `api` holds the site's routes, `param` the site for
 * their path (`api.retention.$get({ param, query })`).
 */
export type SiteClient = {
  siteId: string
  api: SiteApi
  param: { site: string }
}

export function siteClient(key: string, siteId: string): SiteClient {
  // The typed client puts path parameters into the path as they are.
  return {
    siteId,
    api: apiClient(key).v1.sites[':site'],
    param: { site: encodeURIComponent(siteId) },
  }
}
