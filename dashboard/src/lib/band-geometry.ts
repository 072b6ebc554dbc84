/**
 * Geometry of a forecast chart: the history as a line, the forecast's mean as a dashed line
 * after it, and its 80% and 95% intervals as bands (closed polygons: the upper edge left to
 * right, the lower edge back). Pure, so the shapes are tested without a browser; the SVG is
 * drawn by components/band-chart.tsx.
 */

import type { ForecastDay, SeriesForecast } from '../api/types'

export type HistoryDay = SeriesForecast['history'][number]

export type BandBox = { width: number; height: number; pad: number }

export type BandShapes = {
  history: string
  mean: string
  band80: string
  band95: string
  /** x of the boundary between the last history day and the first forecast day. */
  splitX: number | null
  yMin: number
  yMax: number
  /** Three y-axis ticks, bottom to top, with their pixel heights. */
  ticks: { value: number; y: number }[]
}

const DAY_MS = 86_400_000
const dayIndex = (day: string) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY_MS

const f = (n: number) => (Math.round(n * 10) / 10).toString()

function line(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'}${f(x)},${f(y)}`).join(' ')
}

function polygon(upper: [number, number][], lower: [number, number][]): string {
  if (!upper.length) return ''
  return `${line([...upper, ...lower.slice().reverse()])} Z`
}

export function bandShapes(
  history: HistoryDay[],
  forecast: ForecastDay[],
  box: BandBox,
): BandShapes {
  const days = [...history.map((h) => dayIndex(h.day)), ...forecast.map((d) => dayIndex(d.day))]
  const values = [
    ...history.map((h) => h.value),
    ...forecast.flatMap((d) => [d.lo95, d.hi95, d.mean]),
  ].filter(Number.isFinite)
  const empty = { history: '', mean: '', band80: '', band95: '', splitX: null, ticks: [] }
  if (!days.length || !values.length) return { ...empty, yMin: 0, yMax: 0 }
  const x0 = Math.min(...days)
  const x1 = Math.max(...days)
  // Revenue does not go below zero on screen, whatever a wide interval says.
  const yMin = 0
  const rawMax = Math.max(...values)
  const yMax = rawMax > yMin ? rawMax : yMin + 1
  const { width, height, pad } = box
  const x = (day: string) =>
    x1 === x0 ? width / 2 : pad + ((dayIndex(day) - x0) / (x1 - x0)) * (width - 2 * pad)
  const y = (v: number) =>
    height - pad - ((Math.max(yMin, v) - yMin) / (yMax - yMin)) * (height - 2 * pad)
  const at = <T extends { day: string }>(rows: T[], pick: (r: T) => number) =>
    rows.map((r) => [x(r.day), y(pick(r))] as [number, number])
  const last = history.at(-1)
  // The forecast's mean line starts from the last observed day, so the two join.
  const meanPoints = [...(last ? [[x(last.day), y(last.value)] as [number, number]] : [])]
  meanPoints.push(...at(forecast, (d) => d.mean))
  const first = forecast[0]
  return {
    history: line(at(history, (h) => h.value)),
    mean: forecast.length ? line(meanPoints) : '',
    band80: polygon(
      at(forecast, (d) => d.hi80),
      at(forecast, (d) => d.lo80),
    ),
    band95: polygon(
      at(forecast, (d) => d.hi95),
      at(forecast, (d) => d.lo95),
    ),
    splitX: last && first ? (x(last.day) + x(first.day)) / 2 : null,
    yMin,
    yMax,
    ticks: [yMin, (yMin + yMax) / 2, yMax].map((value) => ({ value, y: y(value) })),
  }
}
