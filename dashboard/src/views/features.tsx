/**
 * Features: value score by tier (DESIGN §7.1). Bars show each score's make-up by component;
 * the table shows every component's raw number and sorts on any of them.
 */
import type { FeatureValue, TierValue, ValueWeights } from '../api/types'
import { Kpi, Section } from '../components/bits'
import { SortableTable, type Column } from '../components/sortable-table'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import {
  formatCount,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  formatScore,
  humanize,
} from '../lib/format'
import { valueParts, VALUE_COMPONENTS, type ValueComponent } from '../lib/value-parts'

const COMPONENT_LABEL: Record<ValueComponent, string> = {
  usage: 'Usage',
  time: 'Time',
  revenue: 'Revenue',
  satisfaction: 'Satisfaction',
  retention: 'Retention',
}

export default function Features() {
  const { state, query, navigate } = useSite()
  const res = useApi(query, (s, o) => s.api.features.value.$get({ param: s.param, query }, o))

  return (
    <>
      <div class="page-head">
        <h1>Features</h1>
        <p class="muted">What each feature is worth to the people in each tier.</p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => !Object.values(d.tiers).some((t) => t.features.length)}
        emptyText="No feature use in this period. The tracker sends it with sw('feature', …)."
      >
        {(d) => {
          const tiers = Object.keys(d.tiers).filter((t) => d.tiers[t].features.length)
          const shown = tiers.includes(state.params.show ?? '') ? state.params.show! : tiers[0]
          const show = (t: string) =>
            navigate({ ...state, params: { ...state.params, show: t } }, true)
          return (
            <>
              <div class="tabs" role="tablist" aria-label="Tiers">
                {tiers.map((t) => (
                  <button
                    key={t}
                    type="button"
                    role="tab"
                    id={`tab-${t}`}
                    aria-selected={t === shown}
                    tabIndex={t === shown ? 0 : -1}
                    onClick={() => show(t)}
                    onKeyDown={(e) => {
                      const i = tiers.indexOf(t)
                      const next =
                        e.key === 'ArrowRight'
                          ? tiers[(i + 1) % tiers.length]
                          : e.key === 'ArrowLeft'
                            ? tiers[(i - 1 + tiers.length) % tiers.length]
                            : undefined
                      if (!next) return
                      e.preventDefault()
                      show(next)
                      requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus())
                    }}
                  >
                    {t}
                  </button>
                ))}
              </div>
              <div role="tabpanel" aria-labelledby={`tab-${shown}`}>
                <TierReport tier={shown} value={d.tiers[shown]} weights={d.weights} />
              </div>
            </>
          )
        }}
      </Loaded>
    </>
  )
}

function TierReport(props: { tier: string; value: TierValue; weights: ValueWeights }) {
  const { config } = useSite()
  const { value: v } = props
  const parts = valueParts(v.features, props.weights)
  const columns: Column<FeatureValue>[] = [
    { key: 'feature', label: 'Feature', value: (f) => f.feature, cell: (f) => humanize(f.feature) },
    {
      key: 'value_score',
      label: 'Value score',
      numeric: true,
      value: (f) => f.value_score,
      cell: (f) => <strong>{formatScore(f.value_score)}</strong>,
    },
    {
      key: 'usage_count',
      label: 'Uses',
      numeric: true,
      value: (f) => f.usage_count,
      cell: (f) => formatCount(f.usage_count),
    },
    {
      key: 'unique_users',
      label: 'Users',
      numeric: true,
      value: (f) => f.unique_users,
      cell: (f) => formatCount(f.unique_users),
    },
    {
      key: 'adoption',
      label: 'Adoption',
      numeric: true,
      value: (f) => f.adoption,
      cell: (f) => formatPercent(f.adoption),
    },
    {
      key: 'time_spent_s',
      label: 'Time / user',
      numeric: true,
      value: (f) => f.time_spent_s,
      cell: (f) => formatDuration(f.time_spent_s),
    },
    {
      key: 'success_rate',
      label: 'Success',
      numeric: true,
      value: (f) => f.success_rate,
      cell: (f) => formatPercent(f.success_rate),
    },
    {
      key: 'satisfaction',
      label: 'Rating',
      numeric: true,
      value: (f) => f.satisfaction,
      cell: (f) => formatNumber(f.satisfaction, 2),
      title: 'Mean feedback rating, 1–5',
    },
    {
      key: 'revenue_impact',
      label: 'Revenue impact',
      numeric: true,
      value: (f) => f.revenue_impact,
      cell: (f) => formatMoney(f.revenue_impact, config.currency),
    },
    {
      key: 'retention_impact',
      label: 'Retention impact',
      numeric: true,
      value: (f) => f.retention_impact,
      cell: (f) => formatPoints(f.retention_impact),
      title: '7-day retention of users minus non-users, in percentage points',
    },
  ]
  return (
    <>
      <div class="kpis">
        <Kpi label={`Active ${props.tier} users`} value={formatCount(v.active_users)} />
        <Kpi label="Average value score" value={formatScore(v.average_value_score)} />
        <Kpi
          label="Top features"
          value={v.top_features.map((f) => humanize(f.feature)).join(', ') || '–'}
          small
        />
      </div>
      <Section title={`Value score, ${props.tier}`} aside={<Legend weights={props.weights} />}>
        <ul class="value-bars" aria-label={`Value score by feature for ${props.tier}`}>
          {v.features.map((f, i) => (
            <li key={f.feature} class="bar-row">
              <span class="break">{humanize(f.feature)}</span>
              <span class="stack" role="img" aria-label={stackLabel(parts[i])}>
                {VALUE_COMPONENTS.map((c) =>
                  parts[i][c] ? (
                    <span
                      key={c}
                      class={`stack-part part-${c}`}
                      style={{ width: `${parts[i][c]!.toFixed(2)}%` }}
                    />
                  ) : null,
                )}
              </span>
              <span class="num">{formatScore(f.value_score)}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="All components">
        <SortableTable
          rows={v.features}
          columns={columns}
          rowKey={(f) => f.feature}
          defaultSort={{ key: 'value_score', desc: true }}
          caption={`Feature value components for ${props.tier}`}
        />
      </Section>
    </>
  )
}

function stackLabel(parts: Record<ValueComponent, number | null>): string {
  return VALUE_COMPONENTS.filter((c) => parts[c] !== null)
    .map((c) => `${COMPONENT_LABEL[c]} ${formatScore(parts[c])}`)
    .join(', ')
}

/** Each weight as its share of them all (weights are fractions; only their ratios count). */
function Legend({ weights }: { weights: ValueWeights }) {
  const total = VALUE_COMPONENTS.reduce((s, c) => s + weights[c], 0)
  return (
    <span class="legend">
      {VALUE_COMPONENTS.map((c) => (
        <span key={c} class="legend-item">
          <span class={`swatch part-${c}`} aria-hidden="true" />
          {COMPONENT_LABEL[c]} {formatPercent(total > 0 ? weights[c] / total : null, 0)}
        </span>
      ))}
    </span>
  )
}
