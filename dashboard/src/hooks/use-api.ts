/**
 * Loads one API resource for a view, re-fetching when its path or query changes and
 * cancelling the previous request, so a fast click through periods never shows stale numbers.
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, type Query } from '../api/client'
import { useSite } from './use-site'

export type Resource<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiFailure }

export type ApiResource<T> = Resource<T> & { reload: () => void }

/** GET `path` (relative to the site) with `query`; `path: null` waits. `refreshMs` polls. */
export function useApi<T>(path: string | null, query: Query = {}, refreshMs = 0): ApiResource<T> {
  const { client } = useSite()
  const [state, setState] = useState<Resource<T>>({ status: 'loading' })
  const [nonce, setNonce] = useState(0)
  const key = path === null ? null : JSON.stringify([path, query])

  useEffect(() => {
    if (key === null || path === null) return
    const ctrl = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = (quiet: boolean) => {
      if (!quiet) setState({ status: 'loading' })
      client
        .get<T>(path, query, ctrl.signal)
        .then((data) => setState({ status: 'ok', data }))
        .catch((err: unknown) => {
          if (ctrl.signal.aborted) return
          // A failed background refresh keeps the numbers already on screen.
          if (quiet) return
          setState({ status: 'error', error: asFailure(err) })
        })
        .finally(() => {
          if (refreshMs && !ctrl.signal.aborted) timer = setTimeout(() => load(true), refreshMs)
        })
    }
    load(false)
    return () => {
      ctrl.abort()
      clearTimeout(timer)
    }
  }, [key, nonce, client, refreshMs])

  return { ...state, reload: () => setNonce((n) => n + 1) }
}

export function asFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err
  return new ApiFailure(0, 'client', err instanceof Error ? err.message : String(err))
}
