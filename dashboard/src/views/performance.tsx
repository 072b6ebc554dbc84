/**
 * Performance (DESIGN §7.8): bank-connection health overall, by institution and by feature,
 * and its trend against the site's thresholds. `?institution=` narrows every number to one.
 */
import type { PerformanceResponse } from '../api/types'
import { Kpi, Section } from '../components/bits'
import { CustomMetrics } from '../components/custom-metrics'
import { ErrorSplitLegend } from '../components/error-split'
import { FailureReasons } from '../components/failure-reasons'
import { FeatureHealthTable } from '../components/feature-health-table'
import { InstitutionTable } from '../components/institution-table'
import { ParamSelect } from '../components/param-select'
import { PerformanceCharts } from '../components/performance-charts'
import { Empty, Loaded } from '../components/states'
import { HealthBadge } from '../components/status-badge'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import {
  formatCount,
  formatDuration,
  formatInterval,
  formatMs,
  formatPercent,
  formatTime,
} from '../lib/format'

export default function Performance() {
  const { state, query } = useSite()
  const institution = state.params.institution || undefined
  const q = { ...query, institution }
  const res = useApi(q, (s, o) => s.api.performance.$get({ param: s.param, query: q }, o))
  // Filtered to one institution, the answer lists only it: the select's options come from
  // the same question without the filter.
  const all = useApi(institution ? query : null, (s, o) =>
    s.api.performance.$get({ param: s.param, query }, o),
  )
  const names = (institution ? (all.data?.by_institution ?? []) : (res.data?.by_institution ?? []))
    .map((r) => r.institution)
    .sort()
  if (institution && !names.includes(institution)) names.push(institution)

  return (
    <>
      <div class="page-head">
        <h1>Performance</h1>
        <p class="muted">How bank connections and features hold up, and where they fail.</p>
      </div>
      <div class="builder-row view-controls">
        <ParamSelect
          param="institution"
          label="Institution"
          value={institution ?? ''}
          options={[{ value: '', label: 'All institutions' }, ...names]}
        />
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => !d.overall.connection_success_rate && !d.overall.feature_usage}
        emptyText="No bank connections or feature uses in this period. The tracker sends them with sw('connection', …) and sw('feature', …)."
      >
        {(d) => <Report data={d} />}
      </Loaded>
    </>
  )
}

function Report({ data: d }: { data: PerformanceResponse }) {
  const o = d.overall
  const success = o.connection_success_rate
  const fresh = o.data_sync_frequency?.freshness
  return (
    <>
      <p class="muted status-line">
        Overall <HealthBadge status={o.status} /> · a number from fewer than{' '}
        {formatCount(d.min_sample)} observations is not judged · as of {formatTime(d.computed_at)}
      </p>
      <div class="kpis">
        <Kpi
          label="Connection success"
          value={formatPercent(success?.value)}
          hint={success ? `95% interval ${formatInterval(success.interval)}` : undefined}
        />
        <Kpi
          label="Excl. user errors"
          value={formatPercent(success?.success_rate_excl_user_errors.value)}
          hint={success ? `${formatCount(success.attempts)} attempts` : undefined}
        />
        <Kpi
          label="Latency p95"
          value={formatMs(o.connection_latency?.p95_ms)}
          hint={o.connection_latency ? `p50 ${formatMs(o.connection_latency.p50_ms)}` : undefined}
        />
        <Kpi
          label="Error rate"
          value={formatPercent(o.error_rate?.value)}
          hint={
            o.error_rate
              ? `${formatCount(o.error_rate.failed)} of ${formatCount(o.error_rate.attempts)} failed`
              : undefined
          }
        />
        <Kpi
          label="Data delayed > 2 days"
          value={formatPercent(fresh?.delayed.value)}
          hint={
            fresh
              ? `${formatPercent(fresh.stopped.value)} stopped > 14 days · p95 ${formatDuration(fresh.p95_s)}`
              : 'Freshness is read for periods that reach today'
          }
        />
      </div>
      <PerformanceCharts data={d} />
      <Section title="Institutions" aside={<ErrorSplitLegend />}>
        {d.by_institution.length ? (
          <InstitutionTable rows={d.by_institution} />
        ) : (
          <Empty>No bank connections in this period.</Empty>
        )}
      </Section>
      {success && success.top_reasons.length > 0 && (
        <Section title="Why connections fail">
          <FailureReasons reasons={success.top_reasons} />
        </Section>
      )}
      <Section title="Features">
        {d.by_feature.length ? (
          <FeatureHealthTable rows={d.by_feature} />
        ) : (
          <Empty>No feature uses in this period.</Empty>
        )}
      </Section>
      {d.custom_metrics.length > 0 && (
        <Section title="Backend metrics">
          <CustomMetrics metrics={d.custom_metrics} />
        </Section>
      )}
    </>
  )
}
