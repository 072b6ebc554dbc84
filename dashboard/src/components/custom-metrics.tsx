/** Numbers a bank's backend measures itself (§7.8 `metric` events), by name: n, mean, p50–p99. */
import type { CustomMetric } from '../../../worker/analysis/performance/report'
import { formatCount, formatMs, formatNumber } from '../lib/format'
import { SortableTable, type Column } from './sortable-table'

/** A name that ends in `_ms` is milliseconds (DESIGN §10); any other is shown as measured. */
const valueOf = (m: CustomMetric, v: number | null) =>
  m.name.endsWith('_ms') ? formatMs(v) : formatNumber(v, 2)

const stat = (key: 'mean' | 'p50' | 'p95' | 'p99'): Column<CustomMetric> => ({
  key,
  label: key === 'mean' ? 'Mean' : key,
  numeric: true,
  value: (m) => m[key],
  cell: (m) => valueOf(m, m[key]),
})

const columns: Column<CustomMetric>[] = [
  { key: 'name', label: 'Metric', value: (m) => m.name, cell: (m) => m.name },
  { key: 'n', label: 'n', numeric: true, value: (m) => m.n, cell: (m) => formatCount(m.n) },
  stat('mean'),
  stat('p50'),
  stat('p95'),
  stat('p99'),
]

export function CustomMetrics({ metrics }: { metrics: readonly CustomMetric[] }) {
  return (
    <SortableTable
      rows={metrics}
      columns={columns}
      rowKey={(m) => m.name}
      defaultSort={{ key: 'n', desc: true }}
      param="msort"
      caption="Backend metrics"
    />
  )
}
