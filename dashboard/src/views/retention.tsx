/** Retention: cohorts by first-seen day or week, as a heatmap of the share still active. */
import type { RetentionCohort } from '../api/types'
import { Section } from '../components/bits'
import { ParamSelect } from '../components/param-select'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatDay, humanize } from '../lib/format'
import { heatBackground, heatIsDark } from '../lib/heat'
import { averageCell, cohortCell, type HeatCell } from '../lib/retention-cells'
import type { UrlState } from '../state/url-state'

/** Short periods read best by day, longer ones by week. */
function defaultInterval(s: UrlState): 'day' | 'week' {
  if (s.period === 'custom' && s.from && s.to) {
    return Date.parse(s.to) - Date.parse(s.from) <= 14 * 86_400_000 ? 'day' : 'week'
  }
  return s.period === '24h' || s.period === '7d' ? 'day' : 'week'
}

export default function Retention() {
  const { state, query, config } = useSite()
  const interval =
    state.params.interval === 'day' || state.params.interval === 'week'
      ? state.params.interval
      : defaultInterval(state)
  const mode = state.params.mode === 'on_or_after' ? 'on_or_after' : 'on'
  const feature = config.features.includes(state.params.feature ?? '')
    ? state.params.feature
    : undefined
  const q = { ...query, interval, mode, feature }
  const res = useApi(q, (s, o) => s.api.retention.$get({ param: s.param, query: q }, o))
  const unit = interval === 'day' ? 'Day' : 'Week'

  return (
    <>
      <div class="page-head">
        <h1>Retention</h1>
        <p class="muted">Share of each cohort active again in later {interval}s.</p>
      </div>
      <div class="builder-row view-controls">
        <ParamSelect
          param="interval"
          label="Cohorts by"
          value={interval}
          options={[
            { value: 'day', label: 'day' },
            { value: 'week', label: 'week' },
          ]}
        />
        <ParamSelect
          param="mode"
          label="Counts as retained"
          value={mode}
          options={[
            { value: 'on', label: `active in that ${interval}` },
            { value: 'on_or_after', label: `active then or later` },
          ]}
        />
        <ParamSelect
          param="feature"
          label="Users of"
          value={feature ?? ''}
          options={[
            { value: '', label: 'any feature' },
            ...config.features.map((f) => ({ value: f, label: humanize(f) })),
          ]}
        />
      </div>
      <Section title="Cohorts">
        <Loaded
          res={res}
          isEmpty={(d) => !d.cohorts.some((c) => c.size > 0)}
          emptyText="No new users were first seen in this period."
        >
          {(d) => <Heatmap cohorts={d.cohorts} average={d.average} unit={unit} />}
        </Loaded>
      </Section>
    </>
  )
}

/** Cells say what lib/retention-cells.ts makes of each rate: "–" where the API says null. */
function Heatmap(props: { cohorts: RetentionCohort[]; average: (number | null)[]; unit: string }) {
  const periods = props.average.length
  const cell = ({ share, text, title }: HeatCell, key: number) => (
    <td
      key={key}
      class={`heat${heatIsDark(share) ? ' dark' : ''}`}
      style={{ background: heatBackground(share) }}
      title={title}
    >
      {text}
    </td>
  )
  return (
    <div class="table-wrap">
      <table class="heatmap">
        <caption class="sr-only">
          Retention by cohort; each cell is the share of the cohort active
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" class="num">
              Users
            </th>
            {Array.from({ length: periods }, (_, k) => (
              <th key={k} scope="col" class="num">
                {props.unit} {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr class="average">
            <th scope="row">All cohorts</th>
            <td class="num">{formatCount(props.cohorts.reduce((n, c) => n + c.size, 0))}</td>
            {props.average.map((_, k) => cell(averageCell(props.average, k, props.unit), k))}
          </tr>
          {props.cohorts.map((c) => (
            <tr key={c.start}>
              <th scope="row">{formatDay(c.start)}</th>
              <td class="num">{formatCount(c.size)}</td>
              {Array.from({ length: periods }, (_, k) => cell(cohortCell(c, k), k))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
