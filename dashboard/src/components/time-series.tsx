/**
 * A time series chart with uPlot, loaded on first use so it costs nothing on views without a
 * chart. Labels reach uPlot as plain strings, which it sets with textContent.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type uPlot from 'uplot'
import { formatDay } from '../lib/format'

export type Series = { label: string; values: (number | null)[]; color?: string }

type Props = {
  /** Unix seconds of UTC days, ascending: one point per day. */
  x: number[]
  series: Series[]
  height?: number
  /** What the chart shows, for screen readers. */
  label: string
  format?: (v: number) => string
}

const PALETTE = ['#2f6fed', '#1a9e74', '#d9822b', '#8f5bd6', '#c23b4b']

export function TimeSeries({ x, series, height = 220, label, format }: Props) {
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
        const opts: uPlot.Options = {
          width: Math.max(240, el.clientWidth),
          height,
          legend: { show: series.length > 1 },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          // Days are UTC days, as everywhere in Stepwise.
          tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          axes: [
            {
              stroke: '#6b7280',
              grid: { stroke: '#e5e7eb' },
              // Whole days only, labelled like the rest of the dashboard.
              incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400],
              values: (_u, vals) => vals.map((v) => formatDay(v * 1000)),
            },
            {
              stroke: '#6b7280',
              grid: { stroke: '#e5e7eb' },
              size: 56,
              values: format ? (_u, vals) => vals.map((v) => format(v)) : undefined,
            },
          ],
          series: [
            { label: 'Day', value: (_u, v) => (v === null ? '–' : formatDay(v * 1000)) },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: s.color ?? PALETTE[i % PALETTE.length],
              width: 2,
              points: { show: x.length < 40 },
              value: format
                ? (_u: uPlot, v: number | null) => (v === null ? '–' : format(v))
                : undefined,
            })),
          ],
        }
        plot = new UPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el)
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
  }, [x, series, height, format])

  if (failed) return <p class="muted">The chart could not be loaded.</p>
  return <div ref={box} class="chart" role="img" aria-label={label} />
}
