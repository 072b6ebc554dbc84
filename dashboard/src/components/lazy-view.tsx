/** Renders a view from the views table, loading its chunk on first use. */
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure } from '../api/client'
import type { ViewDef } from '../views'
import { ErrorNote, Loading } from './states'

const loaded = new Map<string, ComponentType>()

export function LazyView({ def }: { def: ViewDef }) {
  const [View, setView] = useState<ComponentType | undefined>(() => loaded.get(def.id))
  const [failed, setFailed] = useState(false)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (loaded.has(def.id)) return setView(() => loaded.get(def.id))
    let live = true
    setView(undefined)
    setFailed(false)
    def
      .load()
      .then((m) => {
        loaded.set(def.id, m.default)
        if (live) setView(() => m.default)
      })
      .catch(() => live && setFailed(true))
    return () => {
      live = false
    }
  }, [def, attempt])

  if (failed) {
    const error = new ApiFailure(0, 'chunk', 'This page could not be downloaded.')
    return <ErrorNote error={error} retry={() => setAttempt((n) => n + 1)} />
  }
  return View ? <View /> : <Loading />
}
