/**
 * A uPlot chart's life in a component: uPlot and its CSS loaded on first use (so views without
 * a chart pay nothing), the plot built into `box` by `build`, resized with its box, destroyed
 * on change or unmount. `error` says what could not be loaded; `retry` loads it again.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type uPlot from 'uplot'
import uplotCss from 'uplot/dist/uPlot.min.css?url'
import type { ApiFailure } from '../api/client'
import { importChunk, loadStylesheet, sharedOnce, type AssetName } from '../lib/lazy-assets'
import { retryOnce } from '../lib/retry-once'
import { asFailure } from './use-api'

export type PlotBuild = (
  UPlot: typeof uPlot,
  el: HTMLDivElement,
) => { opts: uPlot.Options; data: uPlot.AlignedData }

const LIBRARY: AssetName = { thing: 'The chart library', chunk: 'uPlot' }
// One loader function: importChunk knows a failed import by it.
const importUplot = () => import('uplot')
const uplotModule = sharedOnce(() => importChunk(importUplot, LIBRARY))
const uplotStyles = sharedOnce(() => loadStylesheet(uplotCss, LIBRARY))

/** One load (and one retry, one log) for every chart on the page; a part that came stays. */
const loadUplot = sharedOnce(() =>
  retryOnce(() => Promise.all([uplotModule(), uplotStyles()])).then(([m]) => m.default),
)

export function useUplot(build: PlotBuild, height: number, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<ApiFailure>()

  useEffect(() => {
    // While the error shows there is no box; Try again clears the error, which runs this anew.
    if (error) return
    let plot: uPlot | undefined
    let observer: ResizeObserver | undefined
    let cancelled = false
    loadUplot()
      .then((UPlot) => {
        const el = box.current
        if (cancelled || !el) return
        const { opts, data } = build(UPlot, el)
        plot = new UPlot(opts, data, el)
        observer = new ResizeObserver(() => {
          if (plot && el.clientWidth) plot.setSize({ width: el.clientWidth, height })
        })
        observer.observe(el)
      })
      .catch((err: unknown) => !cancelled && setError(asFailure(err)))
    return () => {
      cancelled = true
      observer?.disconnect()
      plot?.destroy()
    }
  }, [height, error, ...deps])

  return { box, error, retry: () => setError(undefined) }
}
