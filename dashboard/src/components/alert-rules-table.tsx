/**
 * Alert rules × series (DESIGN §9): one row per scope a rule watches, firing first, with its
 * state since when, the last value against the threshold, its sample and window.
 */
import type { AlertsResponse } from '../api/types'
import { formatDateTime, humanize } from '../lib/format'
import { alertRank } from '../lib/health'
import { ruleRows, sampleText, scopeText, valueText, type RuleRow } from '../lib/alerts'
import { SortableTable, type Column } from './sortable-table'
import { AlertBadge, StatusBadge } from './status-badge'

const columns: Column<RuleRow>[] = [
  {
    key: 'rule',
    label: 'Rule',
    value: (r) => r.rule.id,
    cell: ({ rule }) => (
      <div class="cell-wide break">
        {rule.id}
        <div class="muted small">
          {humanize(rule.metric)}
          {rule.default ? ' · default' : ''}
        </div>
      </div>
    ),
  },
  {
    key: 'scope',
    label: 'Scope',
    value: (r) => scopeText(r.series?.scope ?? r.rule.scope),
    cell: (r) => <span class="cell-wide break">{scopeText(r.series?.scope ?? r.rule.scope)}</span>,
  },
  {
    key: 'state',
    label: 'State',
    value: (r) => (r.series ? alertRank(r.series.state) : null),
    cell: ({ rule, series }) => (
      <>
        {series ? <AlertBadge state={series.state} /> : 'Not evaluated yet'}
        {rule.snoozed_until && (
          <div class="muted small">
            <StatusBadge tone="low">Snoozed</StatusBadge> until {formatDateTime(rule.snoozed_until)}
          </div>
        )}
      </>
    ),
  },
  {
    key: 'since',
    label: 'Since',
    value: (r) => r.series?.since,
    cell: (r) => <span class="nowrap">{r.series ? formatDateTime(r.series.since) : '–'}</span>,
  },
  {
    key: 'value',
    label: 'Last value',
    numeric: true,
    cell: (r) => (r.series ? valueText(r.rule, r.series) : '–'),
  },
  {
    key: 'n',
    label: 'n',
    numeric: true,
    value: (r) => r.series?.n,
    cell: (r) => (r.series ? sampleText(r.rule, r.series) : '–'),
    title:
      'Observations in the window; with fewer than the rule’s minimum (“4 of 30”) it has no data',
  },
  {
    key: 'window',
    label: 'Window',
    cell: ({ rule }) => rule.window,
    title: 'The span each evaluation reads',
  },
]

export function AlertRulesTable({ rules }: { rules: AlertsResponse['rules'] }) {
  return (
    <SortableTable
      rows={ruleRows(rules)}
      columns={columns}
      rowKey={(r) => r.key}
      defaultSort={{ key: 'state', desc: true }}
      caption="Alert rules and the state of each scope they watch"
    />
  )
}
