/**
 * Revenue (DESIGN §7.9): MRR per month over its five movements, the eight metrics as cards
 * (definitions on hover), upgrade conversion of each feature's users against its non-users,
 * paying-user retention by cohort, and the revenue levers worth most a month.
 */
import { useMemo } from 'preact/hooks'
import type { RevenueResponse } from '../api/types'
import { Kpi, Section } from '../components/bits'
import { Link } from '../components/link'
import { MrrChart, type MrrMonth } from '../components/mrr-chart'
import { RevenueLevers } from '../components/revenue-levers'
import { SortableTable } from '../components/sortable-table'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPoints,
  humanize,
} from '../lib/format'
import { heatBackground, heatIsDark } from '../lib/heat'
import { metricCards } from '../lib/revenue-metrics'
import { conversionGap, formatPointsInterval } from '../lib/revenue'
import { withPeriod } from '../state/filters'

const NO_SUBSCRIPTIONS =
  'No subscriptions in this period. Revenue events come from your backend with an ingest key.'

/** No MRR at any time in the period: free users only, or no revenue events yet. */
function noSubscriptions(d: RevenueResponse): boolean {
  return d.mrr_start === 0 && d.months.every((m) => m.mrr === 0 && m.new === 0)
}

/** Presets too short to show more than a month or two of MRR. */
const SHORT = new Set(['24h', '7d', '30d'])

export default function Revenue() {
  const { query, state } = useSite()
  const res = useApi(query, (s, o) => s.api.revenue.$get({ param: s.param, query }, o))
  // The levers compare groups across the site: only the period applies.
  const lq = { period: query.period, from: query.from, to: query.to }
  const levers = useApi(lq, (s, o) =>
    s.api.revenue.recommendations.$get({ param: s.param, query: lq }, o),
  )
  return (
    <>
      <div class="page-head">
        <h1>Revenue</h1>
        <p class="muted">
          MRR, where it moved, and what would add most to it.
          {SHORT.has(state.period) && (
            <>
              {' '}
              Months read best over a year:{' '}
              <Link to={withPeriod(state, '365d')} class="longer-period">
                the last 12 months
              </Link>
              .
            </>
          )}
        </p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => noSubscriptions(d) && d.metrics.upgrade_conversion.n === 0}
        emptyText={NO_SUBSCRIPTIONS}
      >
        {(d) => <RevenueBody d={d} />}
      </Loaded>
      <Section title="Recommendations">
        <Loaded
          res={levers}
          isEmpty={(l) => !l.levers.length}
          emptyText="No revenue lever stands out in this period: no feature, bank or tier differs beyond its 95% interval."
        >
          {(l) => <RevenueLevers levers={l.levers} currency={l.currency} />}
        </Loaded>
      </Section>
    </>
  )
}

function RevenueBody({ d }: { d: RevenueResponse }) {
  const money = (x: number) => formatMoney(x, d.currency)
  const months = useMemo<MrrMonth[]>(
    () =>
      d.months.map((m) => ({
        t: Date.parse(`${m.month}-01T00:00:00Z`) / 1000,
        mrr: m.mrr,
        movements: {
          new: m.new,
          expansion: m.expansion,
          reactivation: m.reactivation,
          contraction: m.contraction,
          churn: m.churn,
        },
      })),
    [d.months],
  )
  const change = d.mrr - d.mrr_start
  return (
    <>
      {noSubscriptions(d) && <p class="muted no-subscriptions">{NO_SUBSCRIPTIONS}</p>}
      <div class="kpis revenue-kpis">
        <Kpi
          label="MRR"
          value={money(d.mrr)}
          hint={`${change >= 0 ? '+' : '−'}${money(Math.abs(change))} since ${money(d.mrr_start)}`}
        />
        {(['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const).map((k) => (
          <Kpi key={k} label={humanize(k)} value={money(d.movements[k])} small />
        ))}
      </div>
      <Section title="MRR and its movements">
        <MrrChart
          months={months}
          format={money}
          label={`MRR per month over ${months.length} months, with new, expansion, reactivation, contraction and churn as stacked bars`}
        />
        <MovementTable d={d} />
      </Section>
      <Section title="Metrics">
        <div class="kpis metric-cards">
          {metricCards(d).map((c) => (
            <div key={c.key} class="kpi metric" title={c.definition} tabIndex={0}>
              <div class="kpi-label">{c.label}</div>
              <div class="kpi-value small">{c.value}</div>
              <div class="kpi-hint">{c.hint}</div>
            </div>
          ))}
        </div>
      </Section>
      <Section title="Upgrade conversion by feature">
        <ConversionTable d={d} />
      </Section>
      <Section title="Paying-user retention">
        <CohortTable d={d} />
      </Section>
    </>
  )
}

function MovementTable({ d }: { d: RevenueResponse }) {
  const money = (x: number) => formatMoney(x, d.currency)
  return (
    <SortableTable
      rows={d.months}
      rowKey={(m) => m.month}
      param="msort"
      defaultSort={{ key: 'month', desc: false }}
      caption="MRR movements per month"
      columns={[
        { key: 'month', label: 'Month', value: (m) => m.month, cell: (m) => m.month },
        ...(['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const).map((k) => ({
          key: k,
          label: humanize(k),
          numeric: true,
          value: (m: RevenueResponse['months'][number]) => m[k],
          cell: (m: RevenueResponse['months'][number]) => money(m[k]),
        })),
        {
          key: 'net',
          label: 'Net change',
          numeric: true,
          value: (m) => m.net_change,
          cell: (m) => money(m.net_change),
        },
        { key: 'mrr', label: 'MRR', numeric: true, value: (m) => m.mrr, cell: (m) => money(m.mrr) },
      ]}
    />
  )
}

function ConversionTable({ d }: { d: RevenueResponse }) {
  const c = d.metrics.upgrade_conversion
  if (!c.features.length) return <p class="muted">No free user used a feature in this period.</p>
  return (
    <>
      <p class="muted">
        {formatCount(c.converted)} of {formatCount(c.n)} free users started paying (
        {formatPercent(c.rate)}).
      </p>
      <SortableTable
        rows={c.features}
        rowKey={(f) => f.feature}
        param="csort"
        defaultSort={{ key: 'difference', desc: true }}
        caption="Upgrade conversion of each feature's users against its non-users"
        columns={[
          {
            key: 'feature',
            label: 'Feature',
            value: (f) => f.feature,
            cell: (f) => humanize(f.feature),
          },
          {
            key: 'users',
            label: 'Users converted',
            numeric: true,
            value: (f) => f.users.rate,
            cell: (f) => `${formatPercent(f.users.rate)} (${f.users.converted}/${f.users.n})`,
          },
          {
            key: 'non_users',
            label: 'Non-users converted',
            numeric: true,
            value: (f) => f.non_users.rate,
            cell: (f) =>
              `${formatPercent(f.non_users.rate)} (${f.non_users.converted}/${f.non_users.n})`,
          },
          {
            key: 'difference',
            label: 'Difference',
            numeric: true,
            value: (f) => f.difference,
            cell: (f) => <Why text={formatPoints(f.difference)} why={conversionGap(f)} />,
          },
          {
            key: 'interval',
            label: '95% interval',
            numeric: true,
            title: "Newcombe's hybrid score interval of the difference",
            cell: (f) => <Why text={formatPointsInterval(f.interval)} why={conversionGap(f)} />,
          },
          {
            key: 'lift',
            label: 'Lift',
            numeric: true,
            value: (f) => f.lift,
            cell: (f) =>
              f.lift === null ? (
                <Why text="–" why={conversionGap(f) ?? 'no non-user converted: no ratio'} />
              ) : (
                `${formatNumber(f.lift, 2)}×`
              ),
          },
        ]}
      />
    </>
  )
}

function CohortTable({ d }: { d: RevenueResponse }) {
  const cohorts = d.metrics.user_retention.cohorts
  if (!cohorts.length) return <p class="muted">No customer first paid in this period.</p>
  const months = Math.max(...cohorts.map((c) => c.rates.length))
  return (
    <div class="table-wrap">
      <table class="heatmap">
        <caption class="sr-only">Share of each paying cohort still paying in later months</caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" class="num">
              Customers
            </th>
            {Array.from({ length: months }, (_, k) => (
              <th key={k} scope="col" class="num">
                Month {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.cohort}>
              <th scope="row">{c.cohort}</th>
              <td class="num">{formatCount(c.size)}</td>
              {Array.from({ length: months }, (_, k) => {
                const share = c.rates[k]
                return (
                  <td
                    key={k}
                    class={`heat${heatIsDark(share) ? ' dark' : ''}`}
                    style={{ background: heatBackground(share) }}
                    title={
                      k < c.retained.length
                        ? `${c.retained[k]} of ${c.size}`
                        : 'not reached by the end of the period'
                    }
                  >
                    {k < c.retained.length ? formatPercent(share) : ''}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A value that may be "–", with the reason it is missing on hover and for screen readers. */
function Why({ text, why }: { text: string; why: string | null }) {
  if (text !== '–' || !why) return <>{text}</>
  return (
    <span class="why" title={why} aria-label={`– (${why})`}>
      –
    </span>
  )
}
