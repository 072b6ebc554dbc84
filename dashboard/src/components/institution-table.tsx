/**
 * Institution health (DESIGN §7.8), worst first: status, connection success with its interval,
 * success without user errors, latency p95, where attempts ended, freshness and attempts.
 * An institution's name is a link that filters the page to it (`?institution=`).
 */
import type { InstitutionHealth } from '../api/types'
import { useSite } from '../hooks/use-site'
import { formatCount, formatMs, formatPercent, NONE } from '../lib/format'
import { healthRank } from '../lib/health'
import { freshnessText } from '../lib/performance'
import { ErrorSplitBar } from './error-split'
import { Link } from './link'
import { RateCell } from './rate-cell'
import { SortableTable, type Column } from './sortable-table'
import { HealthBadge } from './status-badge'

export function InstitutionTable({ rows }: { rows: readonly InstitutionHealth[] }) {
  const { state } = useSite()
  const columns: Column<InstitutionHealth>[] = [
    {
      key: 'institution',
      label: 'Institution',
      value: (r) => r.institution,
      cell: (r) => (
        <Link
          to={{ ...state, params: { ...state.params, institution: r.institution } }}
          class="nowrap"
        >
          {r.institution}
        </Link>
      ),
    },
    {
      key: 'status',
      label: 'Status',
      value: (r) => healthRank(r.status),
      cell: (r) => <HealthBadge status={r.status} />,
    },
    {
      key: 'success',
      label: 'Success (95% interval)',
      numeric: true,
      value: (r) => r.connection_success_rate?.value,
      cell: (r) => <RateCell rate={r.connection_success_rate} />,
    },
    {
      key: 'excl_user',
      label: 'Excl. user errors',
      numeric: true,
      value: (r) => r.connection_success_rate?.success_rate_excl_user_errors.value,
      cell: (r) => formatPercent(r.connection_success_rate?.success_rate_excl_user_errors.value),
      title: 'Success rate when attempts that failed through the user are left out',
    },
    {
      key: 'latency_p95',
      label: 'Latency p95',
      numeric: true,
      value: (r) => r.connection_latency?.p95_ms,
      cell: (r) => formatMs(r.connection_latency?.p95_ms),
    },
    {
      key: 'split',
      label: 'Error split',
      cell: (r) =>
        r.connection_success_rate ? (
          <ErrorSplitBar split={r.connection_success_rate.error_split} />
        ) : (
          NONE
        ),
    },
    {
      key: 'delayed',
      label: 'Freshness',
      value: (r) => r.data_sync_frequency?.freshness?.delayed.value,
      cell: (r) => <span class="freshness">{freshnessText(r)}</span>,
      title: 'Age of the last successful connection per user: p95, and shares over 2 and 14 days',
    },
    {
      key: 'attempts',
      label: 'Attempts',
      numeric: true,
      value: (r) => r.connection_success_rate?.attempts,
      cell: (r) => formatCount(r.connection_success_rate?.attempts),
    },
  ]
  return (
    <SortableTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.institution}
      defaultSort={{ key: 'status', desc: true }}
      caption="Connection health by institution"
    />
  )
}
