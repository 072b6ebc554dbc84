/**
 * A uPlot chart's life in a component: uPlot and its CSS loaded on first use (so views without
 * a chart pay nothing), the plot built into `box` by `build`, resized with its box, destroyed
 * on change or unmount. `failed` says the chart could not be loaded.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type uPlot from 'uplot'

export type PlotBuild = (
  UPlot: typeof uPlot,
  el: HTMLDivElement,
) => { opts: uPlot.Options; data: uPlot.AlignedData }

export function useUplot(build: PlotBuild, height: number, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let plot: uPlot | undefined
    let observer: ResizeObserver | undefined
    let cancelled = false
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([{ default: UPlot }]) => {
        const el = box.current
        if (cancelled || !el) return
        const { opts, data } = build(UPlot, el)
        plot = new UPlot(opts, data, el)
        observer = new ResizeObserver(() => {
          if (plot && el.clientWidth) plot.setSize({ width: el.clientWidth, height })
        })
        observer.observe(el)
      })
      .catch(() => setFailed(true))
    return () => {
      cancelled = true
      observer?.disconnect()
      plot?.destroy()
    }
  }, [height, ...deps])

  return { box, failed }
}
