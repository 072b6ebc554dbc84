/**
 * A forecast as SVG: the history as a solid line, the forecast's mean dashed after it, its 95%
 * interval as a pale band and its 80% interval as a darker one inside it. No chart library:
 * the shapes come from lib/band-geometry.ts.
 */
import { useMemo } from 'preact/hooks'
import type { ForecastDay } from '../api/types'
import { bandShapes, type HistoryDay } from '../lib/band-geometry'
import { formatDay } from '../lib/format'

type Props = {
  history: HistoryDay[]
  forecast: ForecastDay[]
  label: string
  format: (v: number) => string
}

/** The drawing's own units: the SVG scales to its container's width. */
const WIDTH = 720
const HEIGHT = 240
const PAD = 28
const LEFT = 64

export function BandChart({ history, forecast, label, format }: Props) {
  const s = useMemo(
    () => bandShapes(history, forecast, { width: WIDTH - LEFT, height: HEIGHT, pad: PAD }),
    [history, forecast],
  )
  const first = history[0]?.day ?? forecast[0]?.day
  const last = forecast.at(-1)?.day ?? history.at(-1)?.day
  return (
    <figure class="band-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <g transform={`translate(${LEFT},0)`}>
          {s.ticks.map((t) => (
            <g key={t.value}>
              <line x1={0} x2={WIDTH - LEFT} y1={t.y} y2={t.y} stroke="#e5e7eb" />
              <text x={-6} y={t.y} dy="0.35em" text-anchor="end" font-size="11" fill="#6b7280">
                {format(t.value)}
              </text>
            </g>
          ))}
          <path class="band-95" d={s.band95} fill="#2f6fed" fill-opacity="0.12" stroke="none">
            <title>95% interval</title>
          </path>
          <path class="band-80" d={s.band80} fill="#2f6fed" fill-opacity="0.25" stroke="none">
            <title>80% interval</title>
          </path>
          {s.splitX !== null && (
            <line
              x1={s.splitX}
              x2={s.splitX}
              y1={PAD}
              y2={HEIGHT - PAD}
              stroke="#9ca3af"
              stroke-dasharray="2 3"
            />
          )}
          <path class="history" d={s.history} fill="none" stroke="#111827" stroke-width="1.5" />
          <path
            class="mean"
            d={s.mean}
            fill="none"
            stroke="#2f6fed"
            stroke-width="2"
            stroke-dasharray="5 4"
          />
          {first && (
            <text x={PAD} y={HEIGHT - 8} font-size="11" fill="#6b7280">
              {formatDay(first)}
            </text>
          )}
          {last && (
            <text
              x={WIDTH - LEFT - PAD}
              y={HEIGHT - 8}
              font-size="11"
              fill="#6b7280"
              text-anchor="end"
            >
              {formatDay(last)}
            </text>
          )}
        </g>
      </svg>
      <figcaption class="muted">
        Solid: observed. Dashed: forecast, with its 80% (darker) and 95% (lighter) intervals.
      </figcaption>
    </figure>
  )
}
