/**
 * The one way the dashboard talks to the API: same origin, `Authorization: Bearer sk_…`,
 * JSON in and out. Errors come back as ApiFailure with the API's own message (DESIGN §6), and
 * a 401 anywhere signs the person out, because their key was revoked while they looked.
 */
import type { ErrorBody } from '../../../worker/schemas'

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let onUnauthorized: (message: string) => void = () => {}

/** The app registers what to do when the key stops working (sign out with a message). */
export function handleUnauthorized(fn: (message: string) => void): void {
  onUnauthorized = fn
}

export type Query = Record<string, string | undefined>

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v)
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

export async function request<T>(
  key: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, {
      method,
      signal,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
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
  if (res.ok && json !== undefined) return json as T
  const error = (json as ErrorBody | undefined)?.error
  const failure = new ApiFailure(
    res.status,
    error?.code ?? 'http_' + res.status,
    error?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
  )
  if (res.status === 401) onUnauthorized(failure.message)
  throw failure
}

/** A client bound to one key and site: paths are relative to `/v1/sites/:site`. */
export type SiteClient = {
  siteId: string
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => Promise<T>
  post: <T>(path: string, body: unknown, query?: Query, signal?: AbortSignal) => Promise<T>
}

export function siteClient(key: string, siteId: string): SiteClient {
  const base = `/v1/sites/${encodeURIComponent(siteId)}`
  return {
    siteId,
    get: (path, query, signal) =>
      request(key, 'GET', withQuery(base + path, query), undefined, signal),
    post: (path, body, query, signal) =>
      request(key, 'POST', withQuery(base + path, query), body, signal),
  }
}
