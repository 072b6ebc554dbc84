/** Workflows: every workflow's outcomes; pick one to see its steps, paths and segments. */
import type { WorkflowSummary } from '../api/types'
import { Bar, Section } from '../components/bits'
import { Link } from '../components/link'
import { SortableTable, type Column } from '../components/sortable-table'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatDuration, formatPercent, humanize } from '../lib/format'
import { switchView } from '../state/url-state'
import { WorkflowDetail } from './workflow-detail'

export default function Workflows() {
  const { state } = useSite()
  return state.item ? <WorkflowDetail name={state.item} /> : <WorkflowList />
}

function WorkflowList() {
  const { state, query } = useSite()
  const res = useApi(query, (s, o) => s.api.workflows.$get({ param: s.param, query }, o))
  const columns: Column<WorkflowSummary>[] = [
    {
      key: 'name',
      label: 'Workflow',
      value: (w) => w.name,
      cell: (w) => (
        <Link to={switchView(state, 'workflows', w.name)} class="break">
          {humanize(w.name)}
        </Link>
      ),
    },
    {
      key: 'type',
      label: 'Drop-off type',
      value: (w) => w.dropoff_type,
      cell: (w) => humanize(w.dropoff_type),
    },
    {
      key: 'started',
      label: 'Runs',
      numeric: true,
      value: (w) => w.started,
      cell: (w) => formatCount(w.started),
    },
    {
      key: 'completed',
      label: 'Completed',
      numeric: true,
      value: (w) => w.completed,
      cell: (w) => formatCount(w.completed),
    },
    {
      key: 'completion_rate',
      label: 'Completion',
      numeric: true,
      value: (w) => w.completion_rate,
      cell: (w) => (
        <>
          {formatPercent(w.completion_rate)}
          <Bar share={w.completion_rate ?? 0} tone="good" />
        </>
      ),
    },
    {
      key: 'failed',
      label: 'Failed',
      numeric: true,
      value: (w) => w.failed,
      cell: (w) => formatCount(w.failed),
    },
    {
      key: 'abandoned',
      label: 'Abandoned',
      numeric: true,
      value: (w) => w.abandoned,
      cell: (w) => formatCount(w.abandoned),
    },
    {
      key: 'in_progress',
      label: 'In progress',
      numeric: true,
      value: (w) => w.in_progress,
      cell: (w) => formatCount(w.in_progress),
    },
    {
      key: 'median',
      label: 'Median time',
      numeric: true,
      value: (w) => w.median_duration_s,
      cell: (w) => formatDuration(w.median_duration_s),
    },
  ]
  return (
    <>
      <div class="page-head">
        <h1>Workflows</h1>
        <p class="muted">Multi-step tasks: how many runs finish, and how long they take.</p>
      </div>
      <Section title="All workflows">
        <Loaded
          res={res}
          isEmpty={(d) => !d.workflows.length}
          emptyText="No workflow runs in this period, and none configured for this site."
        >
          {(d) => (
            <SortableTable
              rows={d.workflows}
              columns={columns}
              rowKey={(w) => w.name}
              defaultSort={{ key: 'started', desc: true }}
              caption="Workflows"
            />
          )}
        </Loaded>
      </Section>
    </>
  )
}
