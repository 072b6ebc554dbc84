/**
 * What `GET .../forecast` answers (DESIGN §7.10), shown: daily revenue and MRR, each as a
 * chart of its recent history and forecast with 80% and 95% bands and how the method did on
 * the days it held out; and the institutions whose trend crosses a threshold, or a sentence
 * that none does. A series with too little history says why instead of drawing a guess.
 */
import type { ForecastResponse, SeriesForecast } from '../api/types'
import { formatMoney } from '../lib/format'
import { headingSentence, holdoutSentence } from '../lib/forecast-words'
import { utcToday } from '../state/filters'
import { BandChart } from './band-chart'

/** A year of history would squeeze a month's forecast into a sliver: the last 90 days show. */
export const HISTORY_SHOWN = 90

export function ForecastCharts({ f }: { f: ForecastResponse }) {
  return (
    <div class="forecasts">
      <SeriesChart title="Daily revenue" s={f.revenue} currency={f.currency} />
      <SeriesChart title="MRR" s={f.mrr} currency={f.currency} />
    </div>
  )
}

function SeriesChart(props: { title: string; s: SeriesForecast; currency: string }) {
  const { title, s } = props
  if (s.status !== 'ok') {
    return (
      <div class="forecast no-forecast">
        <h3>{title}</h3>
        <p class="muted">No forecast: {s.reason}.</p>
      </div>
    )
  }
  const history = s.history.slice(-HISTORY_SHOWN)
  return (
    <div class="forecast">
      <h3>{title}</h3>
      <BandChart
        history={history}
        forecast={s.forecast}
        label={`${title}: the last ${history.length} days and the next ${s.forecast.length} forecast, with 80% and 95% intervals`}
        format={(v) => formatMoney(v, props.currency)}
      />
      <p class="muted holdout">{holdoutSentence(s)}</p>
    </div>
  )
}

export function ThresholdHeadings({ f }: { f: ForecastResponse }) {
  if (!f.heading_for_threshold.length) {
    return (
      <p class="muted no-heading">
        No institution's trend crosses a warning or critical threshold in the next {f.horizon} days.
      </p>
    )
  }
  const today = utcToday()
  return (
    <>
      <ul class="headings">
        {f.heading_for_threshold.map((h) => (
          <li key={`${h.institution} ${h.metric} ${h.level}`}>
            {headingSentence(h, f.as_of, today)}
          </li>
        ))}
      </ul>
      <p class="muted">
        Each from a straight line through the last {f.trend_days} days of the metric, with its 80%
        interval.
      </p>
    </>
  )
}
