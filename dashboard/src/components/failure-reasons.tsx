/** The commonest reasons connections failed, with the source each is blamed on (§7.8). */
import type { ConnectionSuccess } from '../../../worker/analysis/performance/report'
import { formatCount, formatPercent } from '../lib/format'
import { SPLIT_LABEL } from '../lib/performance'
import { SortableTable, type Column } from './sortable-table'

type Reason = ConnectionSuccess['top_reasons'][number]

const columns: Column<Reason>[] = [
  { key: 'reason', label: 'Reason', value: (r) => r.reason, cell: (r) => r.reason },
  { key: 'source', label: 'Source', value: (r) => r.source, cell: (r) => SPLIT_LABEL[r.source] },
  {
    key: 'count',
    label: 'Failures',
    numeric: true,
    value: (r) => r.count,
    cell: (r) => formatCount(r.count),
  },
  {
    key: 'share',
    label: 'Share of failures',
    numeric: true,
    value: (r) => r.share,
    cell: (r) => formatPercent(r.share),
  },
]

export function FailureReasons({ reasons }: { reasons: readonly Reason[] }) {
  return (
    <SortableTable
      rows={reasons}
      columns={columns}
      rowKey={(r) => r.reason}
      defaultSort={{ key: 'count', desc: true }}
      param="rsort"
      caption="Why connections failed"
    />
  )
}
