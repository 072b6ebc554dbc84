/**
 * Overview: the period's KPIs (MRR and its change among them) and daily activity, people
 * active right now, the top opportunities, the worst drop-offs and each workflow's completion —
 * one API call plus /live.
 */
import { useMemo } from 'preact/hooks'
import type { DashboardResponse } from '../api/types'
import { Bar, Kpi, Section } from '../components/bits'
import { DropoffTable } from '../components/dropoff-table'
import { Link } from '../components/link'
import { OpportunityCard } from '../components/opportunity-card'
import { Empty, Loaded } from '../components/states'
import { TimeSeries } from '../components/time-series'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import {
  formatCount,
  formatDay,
  formatMoney,
  formatPercent,
  formatTime,
  humanize,
} from '../lib/format'
import { fillDays } from '../lib/series'
import { switchView } from '../state/url-state'

const LIVE_REFRESH_MS = 15_000

export default function Overview() {
  const { query, site } = useSite()
  const res = useApi(query, (s, o) => s.api.dashboard.$get({ param: s.param, query }, o))
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
        <p class="muted break">How {site.name}'s customers use the app, and what to fix first.</p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => d.kpis.events === 0}
        emptyText="No events in this period yet. Install the tracker, or pick a longer period."
      >
        {(d) => <Dashboard data={d} />}
      </Loaded>
    </>
  )
}

function LiveKpi() {
  const live = useApi(
    'live',
    (s, o) => s.api.live.$get({ param: s.param, query: {} }, o),
    LIVE_REFRESH_MS,
  )
  const value =
    live.status === 'ok' ? formatCount(live.data.active_users) : live.status === 'error' ? '–' : '…'
  return (
    <div class="kpi live" aria-live="polite">
      <div class="kpi-label">
        <span class="live-dot" aria-hidden="true" />
        Active now
      </div>
      <div class="kpi-value">{value}</div>
      <div class="kpi-hint">
        {live.status === 'ok'
          ? `${formatCount(live.data.events)} events in the last 5 min`
          : 'last 5 minutes'}
      </div>
    </div>
  )
}

/** MRR at the period's end and its change since the period's first day (as /revenue answers). */
function MrrKpi({ data: d, currency }: { data: DashboardResponse; currency: string }) {
  const { mrr, mrr_change: change } = d.kpis
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±'
  return (
    <Kpi
      label="MRR"
      value={formatMoney(mrr, currency)}
      hint={`${sign}${formatMoney(Math.abs(change), currency)} since ${formatDay(d.period.from)}`}
    />
  )
}

function Dashboard({ data: d }: { data: DashboardResponse }) {
  const { state, config } = useSite()
  const chart = useMemo(() => {
    const days = fillDays(d.series, d.period, (day) => ({
      day,
      active_users: 0,
      sessions: 0,
      events: 0,
      revenue: 0,
    }))
    return {
      x: days.map((s) => Date.parse(`${s.day}T00:00:00Z`) / 1000),
      series: [
        { label: 'Active users', values: days.map((s) => s.active_users) },
        { label: 'Sessions', values: days.map((s) => s.sessions) },
      ],
    }
  }, [d.series, d.period])
  return (
    <>
      <div class="kpis">
        <LiveKpi />
        <Kpi label="Active users" value={formatCount(d.kpis.active_users)} />
        <Kpi label="Sessions" value={formatCount(d.kpis.sessions)} />
        <Kpi label="Events" value={formatCount(d.kpis.events)} />
        <Kpi label="Revenue" value={formatMoney(d.kpis.revenue, config.currency)} />
        <MrrKpi data={d} currency={config.currency} />
        <Kpi label="Workflow completion" value={formatPercent(d.kpis.workflow_completion_rate)} />
        <Kpi label="Bank connections OK" value={formatPercent(d.kpis.connection_success_rate)} />
      </div>
      <p class="muted">
        As of {formatTime(d.computed_at)}; recomputed when new events are rolled up (every 5
        minutes).
      </p>
      <Section title="Daily activity">
        {chart.x.length > 1 ? (
          <TimeSeries
            x={chart.x}
            series={chart.series}
            label={`Active users and sessions per day, ${chart.x.length} days`}
            format={formatCount}
          />
        ) : (
          <Empty>Pick a period of two days or more to see a trend.</Empty>
        )}
      </Section>
      <div class="grid">
        <Section
          title="Top opportunities"
          aside={<Link to={switchView(state, 'opportunities')}>All opportunities</Link>}
        >
          {d.top_opportunities.length ? (
            <ol class="cards">
              {d.top_opportunities.map((op, i) => (
                <li key={op.id}>
                  <OpportunityCard op={op} rank={i + 1} currency={config.currency} compact />
                </li>
              ))}
            </ol>
          ) : (
            <Empty>Nothing stands out in this period.</Empty>
          )}
        </Section>
        <Section title="Workflows" aside={<Link to={switchView(state, 'workflows')}>Details</Link>}>
          {d.workflows.length ? (
            <ul class="value-bars">
              {d.workflows.map((w) => (
                <li key={w.name} class="bar-row">
                  <Link to={switchView(state, 'workflows', w.name)} class="break">
                    {humanize(w.name)}
                  </Link>
                  <Bar
                    share={w.completion_rate ?? 0}
                    tone="good"
                    label={`${formatPercent(w.completion_rate)} of ${formatCount(w.started)} runs completed`}
                  />
                  <span class="num">{formatPercent(w.completion_rate)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No workflow runs in this period.</Empty>
          )}
        </Section>
      </div>
      <Section
        title="Worst drop-offs"
        aside={<Link to={switchView(state, 'dropoffs')}>All drop-offs</Link>}
      >
        {d.worst_dropoffs.length ? (
          <DropoffTable points={d.worst_dropoffs} currency={config.currency} param="dsort" />
        ) : (
          <Empty>Nobody dropped off in this period.</Empty>
        )}
      </Section>
      {d.truncated && (
        <p class="form-error">This period holds more runs than one query reads; shorten it.</p>
      )}
    </>
  )
}
