/**
 * MRR per month as a line over the five MRR movements as stacked bars (ChartMogul's chart):
 * new, expansion and reactivation stacked above zero, contraction and churn below it. uPlot has
 * no stacking, so each bar is drawn to its running total, back to front, and the legend shows
 * each movement's own amount. Loaded on first use, like TimeSeries.
 */
import type uPlot from 'uplot'
import { useUplot } from '../hooks/use-uplot'
import type { Movement } from '../lib/revenue'
import { ErrorNote } from './states'

export type MrrMonth = {
  /** Unix seconds of the month's first day, UTC. */
  t: number
  mrr: number | null
  /** Each movement's amount; contraction and churn as losses (either sign: drawn below 0). */
  movements: Record<Movement, number>
}

type Props = {
  months: MrrMonth[]
  label: string
  format: (v: number) => string
  height?: number
}

const COLORS: Record<Movement, string> = {
  new: '#1a9e74',
  expansion: '#2f6fed',
  reactivation: '#8f5bd6',
  contraction: '#d9822b',
  churn: '#c23b4b',
}
const HALF_MONTH_S = 15 * 86_400
const UP: Movement[] = ['new', 'expansion', 'reactivation']
const DOWN: Movement[] = ['contraction', 'churn']

/** Running totals of `names` per month, each stacked on the ones before it. */
function stacked(months: MrrMonth[], names: Movement[], sign: 1 | -1): number[][] {
  const totals = months.map(() => 0)
  return names.map((name) =>
    months.map((m, i) => (totals[i] += sign * Math.abs(m.movements[name]))),
  )
}

function monthLabel(t: number): string {
  return new Date(t * 1000).toLocaleDateString('en-US', {
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  })
}

export function MrrChart({ months, label, format, height = 260 }: Props) {
  const { box, error, retry } = useUplot(
    (UPlot, el) => {
      const x = months.map((m) => m.t)
      const up = stacked(months, UP, 1)
      const down = stacked(months, DOWN, -1)
      // Drawn back to front: the tallest running total first, so each part stays visible.
      const layers = [
        ...UP.map((name, i) => ({ name, values: up[i] })).reverse(),
        ...DOWN.map((name, i) => ({ name, values: down[i] })).reverse(),
      ]
      const bars = UPlot.paths.bars!({ size: [0.6, 64] })
      const own = (name: Movement) => (_u: uPlot, _v: number, _s: number, i: number | null) =>
        i === null || i === undefined || !months[i] ? '–' : format(months[i].movements[name])
      const opts: uPlot.Options = {
        width: Math.max(240, el.clientWidth),
        height,
        cursor: { drag: { x: false, y: false } },
        scales: {
          // Half a month either side, so the first and last bars are whole.
          x: { time: false, range: (_u, lo, hi) => [lo - HALF_MONTH_S, hi + HALF_MONTH_S] },
          mrr: { range: (_u, _lo, hi) => [0, Math.max(1, hi) * 1.1] },
        },
        axes: [
          {
            stroke: '#6b7280',
            grid: { show: false },
            splits: () => x,
            values: (_u, vals) => vals.map((v) => monthLabel(v)),
          },
          {
            stroke: '#6b7280',
            grid: { stroke: '#e5e7eb' },
            size: (_u, vals) =>
              Math.max(
                64,
                16 + 7 * Math.max(0, ...(vals ?? []).map((v) => format(Number(v)).length)),
              ),
            values: (_u, vals) => vals.map((v) => format(v)),
          },
          {
            // MRR is an order of magnitude above its movements: its own scale, on the right.
            scale: 'mrr',
            side: 1,
            stroke: '#111827',
            grid: { show: false },
            size: (_u, vals) =>
              Math.max(
                64,
                16 + 7 * Math.max(0, ...(vals ?? []).map((v) => format(Number(v)).length)),
              ),
            values: (_u, vals) => vals.map((v) => format(v)),
          },
        ],
        series: [
          { label: 'Month', value: (_u, v) => (v === null ? '–' : monthLabel(v)) },
          ...layers.map((l) => ({
            label: l.name[0].toUpperCase() + l.name.slice(1),
            stroke: COLORS[l.name],
            fill: COLORS[l.name],
            width: 0,
            paths: bars,
            points: { show: false },
            value: own(l.name),
          })),
          {
            label: 'MRR',
            scale: 'mrr',
            stroke: '#111827',
            width: 2,
            points: { show: true },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
          },
        ],
      }
      const data = [x, ...layers.map((l) => l.values), months.map((m) => m.mrr)]
      return { opts, data: data as uPlot.AlignedData }
    },
    height,
    [months, format],
  )

  if (error) return <ErrorNote error={error} retry={retry} />
  return <div ref={box} class="chart mrr-chart" role="img" aria-label={label} />
}
