/**
 * A button's request (send a test, redeliver): one at a time, its result or the API's error
 * kept for the page to show until the next run.
 */
import { useState } from 'preact/hooks'
import type { ApiFailure } from '../api/client'
import { asFailure } from './use-api'

export type Action<T> = {
  busy: boolean
  result: T | null
  error: ApiFailure | null
  run: (go: () => Promise<T>) => Promise<void>
}

export function useAction<T>(onDone?: (result: T) => void): Action<T> {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<T | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const run = async (go: () => Promise<T>) => {
    if (busy) return
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const r = await go()
      setResult(r)
      onDone?.(r)
    } catch (err) {
      setError(asFailure(err))
    } finally {
      setBusy(false)
    }
  }
  return { busy, result, error, run }
}
