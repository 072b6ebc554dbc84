/**
 * A time series chart with uPlot, loaded on first use so it costs nothing on views without a
 * chart. Labels reach uPlot as plain strings, which it sets with textContent.
 */
import type uPlot from 'uplot'
import { useUplot } from '../hooks/use-uplot'
import { formatDateTime, formatDay, formatHour } from '../lib/format'
import { ErrorNote } from './states'

export type Series = {
  label: string
  values: (number | null)[]
  color?: string
  /** Draws across buckets without a value (sparse hourly rates) instead of breaking the line. */
  spanGaps?: boolean
}

/** A horizontal line at `value`, e.g. a health threshold, drawn dashed and named in the legend. */
export type Threshold = { label: string; value: number; color: string }

type Props = {
  /** Unix seconds of UTC days (or hours, with `granularity: 'hour'`), ascending. */
  x: number[]
  series: Series[]
  thresholds?: Threshold[]
  granularity?: 'day' | 'hour'
  height?: number
  /** What the chart shows, for screen readers. */
  label: string
  format?: (v: number) => string
}

const PALETTE = ['#2f6fed', '#1a9e74', '#d9822b', '#8f5bd6', '#c23b4b']
const HOUR = 3_600
const DAY = 86_400
const DAY_INCRS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY]
const HOUR_INCRS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, ...DAY_INCRS]

/** Axis labels: days as "Mar 4"; hours as "14:00", with midnight named by its day. */
function tickLabel(v: number, granularity: 'day' | 'hour'): string {
  return granularity === 'hour' && v % DAY !== 0 ? formatHour(v * 1000) : formatDay(v * 1000)
}

export function TimeSeries(props: Props) {
  const { x, series, thresholds, granularity = 'day', height = 220, label, format } = props
  const { box, error, retry } = useUplot(
    (UPlot, el) => {
      const lines = thresholds ?? []
      const valueOf = format
        ? (_u: uPlot, v: number | null) => (v === null ? '–' : format(v))
        : undefined
      const opts: uPlot.Options = {
        width: Math.max(240, el.clientWidth),
        height,
        legend: { show: series.length + lines.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        // Days are UTC days, as everywhere in Stepwise.
        tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        axes: [
          {
            stroke: '#6b7280',
            grid: { stroke: '#e5e7eb' },
            // Whole days (or hours) only, labelled like the rest of the dashboard.
            incrs: granularity === 'hour' ? HOUR_INCRS : DAY_INCRS,
            values: (_u, vals) => vals.map((v) => tickLabel(v, granularity)),
          },
          {
            stroke: '#6b7280',
            grid: { stroke: '#e5e7eb' },
            // Wide enough for the longest label ("12,000 ms"), never narrower than before.
            size: (_u, vals) =>
              Math.max(56, 16 + 7 * Math.max(0, ...(vals ?? []).map((v) => String(v).length))),
            values: format ? (_u, vals) => vals.map((v) => format(v)) : undefined,
          },
        ],
        series: [
          {
            label: granularity === 'hour' ? 'Hour' : 'Day',
            value: (_u, v) =>
              v === null
                ? '–'
                : granularity === 'hour'
                  ? formatDateTime(v * 1000)
                  : formatDay(v * 1000),
          },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color ?? PALETTE[i % PALETTE.length],
            width: 2,
            spanGaps: s.spanGaps,
            points: { show: x.length < 40 },
            value: valueOf,
          })),
          ...lines.map((t) => ({
            label: t.label,
            stroke: t.color,
            width: 1.5,
            dash: [6, 4],
            points: { show: false },
            value: valueOf,
          })),
        ],
      }
      const data = [x, ...series.map((s) => s.values), ...lines.map((t) => x.map(() => t.value))]
      return { opts, data: data as uPlot.AlignedData }
    },
    height,
    [x, series, thresholds, granularity, format],
  )

  if (error) return <ErrorNote error={error} retry={retry} />
  return <div ref={box} class="chart" role="img" aria-label={label} />
}
