/**
 * Loads one API resource for a view, re-fetching when its request changes and cancelling the
 * previous one, so a fast click through periods never shows stale numbers. A failure that may
 * pass is tried once more (lib/retry-once.ts) and names the request that failed.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ClientResponse } from 'hono/client'
import { ApiFailure, answer, type Answer, type SiteClient } from '../api/client'
import { retryOnce } from '../lib/retry-once'
import { useSite } from './use-site'

export type Resource<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiFailure }

export type ApiResource<T> = Resource<T> & { reload: () => void }

/**
 * Runs `load` whenever `key` changes (`key: null` waits). With `refreshMs`, polls quietly:
 * a failed background refresh keeps the numbers already on screen.
 */
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  refreshMs = 0,
): ApiResource<T> {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' })
  const [nonce, setNonce] = useState(0)

  useEffect(() => {
    if (key === null) return
    const ctrl = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const run = (quiet: boolean) => {
      if (!quiet) setState({ status: 'loading' })
      retryOnce(() => load(ctrl.signal), ctrl.signal)
        .then((data) => !ctrl.signal.aborted && setState({ status: 'ok', data }))
        .catch((err: unknown) => {
          if (ctrl.signal.aborted || quiet) return
          setState({ status: 'error', error: asFailure(err) })
        })
        .finally(() => {
          if (refreshMs && !ctrl.signal.aborted) timer = setTimeout(() => run(true), refreshMs)
        })
    }
    run(false)
    return () => {
      ctrl.abort()
      clearTimeout(timer)
    }
  }, [key, nonce, refreshMs])

  return { ...state, reload: () => setNonce((n) => n + 1) }
}

/** A call of the site's typed client (api/client.ts), with the request options to pass on. */
export type SiteCall<R> = (
  site: SiteClient,
  options: { init: RequestInit; fetch: typeof fetch },
) => Promise<R>

/**
 * Loads what `call` asks for, again whenever `request` changes (`request: null` waits): it
 * names what is asked — usually the call's query — and `call` is read when it is sent.
 */
export function useApi<R extends ClientResponse<unknown, number, string>>(
  request: unknown,
  call: SiteCall<R>,
  refreshMs = 0,
): ApiResource<Answer<R>> {
  const { client } = useSite()
  const key = request === null ? null : JSON.stringify([client.siteId, request])
  return useResource(key, (signal) => namedAnswer(client, call, signal), refreshMs)
}

/**
 * Sends `call` and waits for its answer; a failure says which request failed and how
 * ("GET /v1/sites/…/dashboard → 503 Service Unavailable"), and keeps a 429's Retry-After.
 */
async function namedAnswer<R extends ClientResponse<unknown, number, string>>(
  client: SiteClient,
  call: SiteCall<R>,
  signal: AbortSignal,
): Promise<Answer<R>> {
  let what = 'the request was not sent'
  let retryAfterS: number | undefined
  let cause: unknown
  const named: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href)
    const request = `${init?.method ?? 'GET'} ${url.pathname}`
    try {
      const res = await fetch(input, init)
      what = `${request} → ${res.status} ${res.statusText}`.trim()
      retryAfterS = seconds(res.headers.get('retry-after'))
      return res
    } catch (err) {
      what = `${request} → no answer (${err instanceof Error ? err.message : String(err)})`
      cause = err
      throw err
    }
  }
  try {
    return await answer(call(client, { init: { signal }, fetch: named }))
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err
    throw new ApiFailure(err.status, err.code, err.message, { what, retryAfterS, cause })
  }
}

/** Retry-After in seconds, from seconds or an HTTP date. */
function seconds(header: string | null): number | undefined {
  if (!header) return undefined
  const s = Number(header)
  const at = Number.isFinite(s) ? Date.now() + s * 1000 : Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : undefined
}

export function asFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err
  return new ApiFailure(0, 'client', err instanceof Error ? err.message : String(err))
}
