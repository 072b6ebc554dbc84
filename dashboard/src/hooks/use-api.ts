/**
 * Loads one API resource for a view, re-fetching when its request changes and cancelling the
 * previous one, so a fast click through periods never shows stale numbers.
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, type Query } from '../api/client'
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
      load(ctrl.signal)
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

/** GET `path` (relative to `/v1/sites/:site`) with `query`; `path: null` waits. */
export function useApi<T>(path: string | null, query: Query = {}, refreshMs = 0): ApiResource<T> {
  const { client } = useSite()
  const key = path === null ? null : JSON.stringify([client.siteId, path, query])
  return useResource(key, (signal) => client.get<T>(path!, query, signal), refreshMs)
}

/** POST `body` to `path`; re-posts when the body or query changes. */
export function useApiPost<T>(
  path: string | null,
  body: unknown,
  query: Query = {},
): ApiResource<T> {
  const { client } = useSite()
  const key = path === null ? null : JSON.stringify([client.siteId, path, body, query])
  return useResource(key, (signal) => client.post<T>(path!, body, query, signal))
}

export function asFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err
  return new ApiFailure(0, 'client', err instanceof Error ? err.message : String(err))
}
