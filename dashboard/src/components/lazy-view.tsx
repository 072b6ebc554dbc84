/** Renders a view from the views table, loading its chunk on first use (retried once). */
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { ApiFailure } from '../api/client'
import { asFailure } from '../hooks/use-api'
import { importChunk } from '../lib/lazy-assets'
import { retryOnce } from '../lib/retry-once'
import type { ViewDef } from '../views'
import { ErrorNote, Loading } from './states'

const loaded = new Map<string, ComponentType>()

export function LazyView({ def }: { def: ViewDef }) {
  const [View, setView] = useState<ComponentType | undefined>(() => loaded.get(def.id))
  const [error, setError] = useState<ApiFailure>()
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (loaded.has(def.id)) return setView(() => loaded.get(def.id))
    let live = true
    setView(undefined)
    setError(undefined)
    const name = { thing: `The ${def.label} view`, chunk: def.id }
    retryOnce(() => importChunk(def.load, name))
      .then((m) => {
        loaded.set(def.id, m.default)
        if (live) setView(() => m.default)
      })
      .catch((err: unknown) => live && setError(asFailure(err)))
    return () => {
      live = false
    }
  }, [def, attempt])

  if (error) return <ErrorNote error={error} retry={() => setAttempt((n) => n + 1)} />
  return View ? <View /> : <Loading />
}
