/**
 * Every webhook message and its attempts (DESIGN §9), newest first, 50 at a time, each with a
 * Redeliver button that sends it again now and shows how that went.
 */
import { useState } from 'preact/hooks'
import { answer } from '../api/client'
import type { Delivery, DeliveryResponse } from '../api/types'
import { useAction } from '../hooks/use-action'
import type { Deliveries } from '../hooks/use-deliveries'
import { useSite } from '../hooks/use-site'
import { deliverySummary, DELIVERY_TONE, DELIVERY_TYPE, lastAnswer } from '../lib/alerts'
import { formatCount, formatDateTime } from '../lib/format'
import { ActionNote } from './action-note'
import { Section } from './bits'
import { SortableTable, type Column } from './sortable-table'
import { Empty, Loaded } from './states'
import { StatusBadge } from './status-badge'

export function DeliveriesPanel({ res }: { res: Deliveries }) {
  const { client } = useSite()
  const [resent, setResent] = useState<Record<string, Delivery>>({})
  const [target, setTarget] = useState<string | null>(null)
  const redeliver = useAction<DeliveryResponse>((r) =>
    setResent((m) => ({ ...m, [r.delivery.id]: r.delivery })),
  )
  const columns: Column<Delivery>[] = [
    {
      key: 'created_at',
      label: 'Time',
      value: (d) => d.created_at,
      cell: (d) => <span class="nowrap">{formatDateTime(d.created_at)}</span>,
    },
    { key: 'type', label: 'Type', value: (d) => d.type, cell: (d) => DELIVERY_TYPE[d.type] },
    {
      key: 'rule',
      label: 'Rule',
      value: (d) => d.rule_id,
      cell: (d) => (
        <span class="break">
          {d.rule_id ? [d.rule_id, d.series].filter(Boolean).join(' · ') : '–'}
        </span>
      ),
    },
    {
      key: 'status',
      label: 'Status',
      value: (d) => d.status,
      cell: (d) => <StatusBadge tone={DELIVERY_TONE[d.status]}>{d.status}</StatusBadge>,
    },
    {
      key: 'attempts',
      label: 'Attempts',
      numeric: true,
      value: (d) => d.attempts,
      cell: (d) => formatCount(d.attempts),
    },
    { key: 'last', label: 'Last answer', cell: (d) => <span class="break">{lastAnswer(d)}</span> },
    {
      key: 'redeliver',
      label: 'Redeliver',
      cell: (d) => (
        <button
          type="button"
          class="secondary"
          disabled={redeliver.busy}
          aria-label={`Redeliver ${d.id}`}
          onClick={() => {
            setTarget(d.id)
            redeliver.run(() =>
              answer(
                client.api.alerts.deliveries[':id'].redeliver.$post({
                  param: { ...client.param, id: encodeURIComponent(d.id) },
                }),
              ),
            )
          }}
        >
          {redeliver.busy && target === d.id ? 'Sending…' : 'Redeliver'}
        </button>
      ),
    },
  ]
  return (
    <Section title="Deliveries">
      <ActionNote action={redeliver}>
        {(r) => `Redelivered: ${deliverySummary(r.delivery)}`}
      </ActionNote>
      <Loaded res={res.first}>
        {() =>
          res.rows.length ? (
            <>
              <SortableTable
                rows={res.rows.map((d) => resent[d.id] ?? d)}
                columns={columns}
                rowKey={(d) => d.id}
                defaultSort={{ key: 'created_at', desc: true }}
                param="dsort"
                caption="Webhook deliveries"
              />
              {res.cursor && (
                <button
                  type="button"
                  class="secondary"
                  disabled={res.more.busy}
                  onClick={res.loadMore}
                >
                  Show older deliveries
                </button>
              )}
              <ActionNote action={res.more}>{() => null}</ActionNote>
            </>
          ) : (
            <Empty>No webhook messages yet: alerts send one on firing and on resolving.</Empty>
          )
        }
      </Loaded>
    </Section>
  )
}
