/** Feature health (DESIGN §7.8), worst first: status, uses, users, success and error rates. */
import type { FeatureHealth } from '../api/types'
import { formatCount, formatPercent, humanize } from '../lib/format'
import { healthRank } from '../lib/health'
import { RateCell } from './rate-cell'
import { SortableTable, type Column } from './sortable-table'
import { HealthBadge } from './status-badge'

const columns: Column<FeatureHealth>[] = [
  {
    key: 'feature',
    label: 'Feature',
    value: (f) => f.feature,
    cell: (f) => <span class="break">{humanize(f.feature)}</span>,
  },
  {
    key: 'status',
    label: 'Status',
    value: (f) => healthRank(f.status),
    cell: (f) => <HealthBadge status={f.status} />,
  },
  {
    key: 'uses',
    label: 'Uses',
    numeric: true,
    value: (f) => f.feature_usage?.uses,
    cell: (f) => formatCount(f.feature_usage?.uses),
  },
  {
    key: 'users',
    label: 'Users',
    numeric: true,
    value: (f) => f.feature_usage?.users,
    cell: (f) => formatCount(f.feature_usage?.users),
  },
  {
    key: 'success',
    label: 'Success (95% interval)',
    numeric: true,
    value: (f) => f.feature_usage?.success_rate.value,
    cell: (f) => <RateCell rate={f.feature_usage?.success_rate} />,
  },
  {
    key: 'error_rate',
    label: 'Error rate',
    numeric: true,
    value: (f) => f.error_rate?.value,
    cell: (f) => formatPercent(f.error_rate?.value),
    title: 'Failed attempts of all attempts, connections included',
  },
]

export function FeatureHealthTable({ rows }: { rows: readonly FeatureHealth[] }) {
  return (
    <SortableTable
      rows={rows}
      columns={columns}
      rowKey={(f) => f.feature}
      defaultSort={{ key: 'status', desc: true }}
      param="fsort"
      caption="Health by feature"
    />
  )
}
