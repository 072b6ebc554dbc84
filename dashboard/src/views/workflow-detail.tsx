/**
 * One workflow (DESIGN §7.2): its steps as funnel bars with conversion, median and p90 time
 * to the next step and drop reasons; the paths people actually walk; outcomes by segment.
 */
import type { OutcomeCounts, WorkflowReport } from '../api/types'
import { Bar, Kpi, Section } from '../components/bits'
import { Reasons } from '../components/dropoff-table'
import { FunnelBars } from '../components/funnel-bars'
import { Link } from '../components/link'
import { Empty, Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatDuration, formatPercent, humanize } from '../lib/format'
import { switchView } from '../state/url-state'

export function WorkflowDetail({ name }: { name: string }) {
  const { state, query } = useSite()
  const res = useApi([name, query], (s, o) =>
    s.api.workflows[':name'].$get(
      { param: { ...s.param, name: encodeURIComponent(name) }, query },
      o,
    ),
  )
  return (
    <>
      <p class="crumbs">
        <Link to={switchView(state, 'workflows')}>← All workflows</Link>
      </p>
      <div class="page-head">
        <h1 class="break">{humanize(name)}</h1>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => d.workflow.started === 0}
        emptyText="No runs of this workflow in this period."
      >
        {(d) => <Report w={d.workflow} />}
      </Loaded>
    </>
  )
}

function Report({ w }: { w: WorkflowReport }) {
  const first = w.steps[0]?.reached || 1
  return (
    <>
      <div class="kpis">
        <Kpi
          label="Runs"
          value={formatCount(w.started)}
          hint={`${formatCount(w.in_progress)} in progress`}
        />
        <Kpi label="Completed" value={formatCount(w.completed)} />
        <Kpi label="Completion rate" value={formatPercent(w.completion_rate)} />
        <Kpi label="Median time to complete" value={formatDuration(w.median_duration_s)} />
        <Kpi label="Failed" value={formatCount(w.failed)} />
        <Kpi label="Abandoned" value={formatCount(w.abandoned)} />
      </div>
      <Section
        title="Steps"
        aside={
          w.steps_source === 'observed' ? 'Step order as observed (not configured)' : undefined
        }
      >
        <FunnelBars
          label={`Steps of ${w.name}`}
          rows={w.steps.map((s, i) => ({
            key: s.step,
            label: s.step,
            count: s.reached,
            fromStart: s.reached / first,
            fromPrevious: i ? w.steps[i - 1].conversion_to_next : null,
            detail: (
              <>
                {s.conversion_to_next !== null && (
                  <span>
                    {formatDuration(s.median_s)} median · {formatDuration(s.p90_s)} p90{' '}
                    <span class="muted">to next</span>
                  </span>
                )}
                {s.dropped > 0 && (
                  <span>
                    {formatCount(s.dropped)} dropped ({formatPercent(s.drop_rate)})
                  </span>
                )}
                {s.reasons.length > 0 && <Reasons reasons={s.reasons} />}
              </>
            ),
          }))}
        />
      </Section>
      <Section title="Common paths" aside="As walked, retries included">
        {w.common_paths.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col" class="num">
                    Runs
                  </th>
                  <th scope="col" class="num">
                    Completed
                  </th>
                </tr>
              </thead>
              <tbody>
                {w.common_paths.map((p) => (
                  <tr key={p.path.join('>')}>
                    <td class="break">{p.path.join(' › ')}</td>
                    <td class="num">{formatCount(p.runs)}</td>
                    <td class="num">{formatPercent(p.completion_rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No finished runs to trace.</Empty>
        )}
      </Section>
      <div class="grid">
        {(['tier', 'device', 'institution'] as const).map((by) => (
          <Breakdown key={by} by={by} rows={w.breakdown[by]} />
        ))}
      </div>
    </>
  )
}

function Breakdown(props: { by: string; rows: Record<string, OutcomeCounts> }) {
  const rows = Object.entries(props.rows)
  return (
    <Section title={`By ${props.by}`}>
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{humanize(props.by)}</th>
                <th scope="col" class="num">
                  Runs
                </th>
                <th scope="col" class="num">
                  Completed
                </th>
                <th scope="col" class="num">
                  Completion
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([segment, o]) => (
                <tr key={segment}>
                  <td class="break">{segment}</td>
                  <td class="num">{formatCount(o.started)}</td>
                  <td class="num">{formatCount(o.completed)}</td>
                  <td class="num">
                    {formatPercent(o.completion_rate)}
                    <Bar share={o.completion_rate ?? 0} tone="good" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No {props.by} recorded on these runs.</Empty>
      )}
    </Section>
  )
}
