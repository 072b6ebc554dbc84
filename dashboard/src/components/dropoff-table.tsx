/** Drop-off points as a table: where, how many, why, what it costs, how urgent. */
import type { DropoffPoint } from '../api/types'
import { formatCount, formatMoney, formatPercent, formatScore, humanize } from '../lib/format'
import { Badge, Bar } from './bits'
import { SortableTable, type Column } from './sortable-table'

/** "Account linking › verify" or "Budget tracking". */
export function dropoffPlace(p: DropoffPoint): string {
  return p.workflow ? `${humanize(p.workflow)} › ${p.step ?? ''}` : humanize(p.feature ?? p.id)
}

export function Reasons({ reasons }: { reasons: { reason: string; share: number }[] }) {
  if (!reasons.length) return <span class="muted">–</span>
  return (
    <span class="chips">
      {reasons.map((r) => (
        <span key={r.reason} class="chip">
          {r.reason} {formatPercent(r.share, 0)}
        </span>
      ))}
    </span>
  )
}

export function DropoffTable(props: { points: DropoffPoint[]; currency: string; param?: string }) {
  const columns: Column<DropoffPoint>[] = [
    {
      key: 'place',
      label: 'Where',
      value: dropoffPlace,
      cell: (p) => <span class="break">{dropoffPlace(p)}</span>,
    },
    { key: 'type', label: 'Type', value: (p) => p.type, cell: (p) => humanize(p.type) },
    {
      key: 'priority',
      label: 'Priority',
      value: (p) => p.impact_score,
      cell: (p) => <Badge level={p.priority} />,
    },
    {
      key: 'entered',
      label: 'Entered',
      numeric: true,
      value: (p) => p.entered,
      cell: (p) => formatCount(p.entered),
    },
    {
      key: 'dropped',
      label: 'Dropped',
      numeric: true,
      value: (p) => p.dropped,
      cell: (p) => formatCount(p.dropped),
    },
    {
      key: 'drop_rate',
      label: 'Drop rate',
      numeric: true,
      value: (p) => p.drop_rate,
      cell: (p) => (
        <>
          {formatPercent(p.drop_rate)}
          <Bar share={p.drop_rate} tone={p.drop_rate >= 0.3 ? 'bad' : 'warn'} />
        </>
      ),
    },
    { key: 'reasons', label: 'Reasons', cell: (p) => <Reasons reasons={p.common_reasons} /> },
    {
      key: 'revenue_at_risk',
      label: 'Revenue at risk',
      numeric: true,
      value: (p) => p.revenue_at_risk,
      cell: (p) => formatMoney(p.revenue_at_risk, props.currency),
    },
    {
      key: 'impact_score',
      label: 'Impact',
      numeric: true,
      value: (p) => p.impact_score,
      cell: (p) => formatScore(p.impact_score),
    },
  ]
  return (
    <SortableTable
      rows={props.points}
      columns={columns}
      rowKey={(p) => p.id}
      defaultSort={{ key: 'impact_score', desc: true }}
      param={props.param}
      caption="Drop-off points"
    />
  )
}
