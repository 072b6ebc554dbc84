/**
 * Alerts (DESIGN §9): each rule's state per scope, the webhook endpoint with a test button,
 * and every delivery with its attempts. Sending needs an admin key; a read key sees why not.
 */
import { AlertRulesTable } from '../components/alert-rules-table'
import { Section } from '../components/bits'
import { DeliveriesPanel } from '../components/deliveries-panel'
import { Empty, Loaded } from '../components/states'
import { WebhookPanel } from '../components/webhook-panel'
import { useApi } from '../hooks/use-api'
import { useDeliveries } from '../hooks/use-deliveries'
import { formatDateTime } from '../lib/format'

const REFRESH_MS = 60_000

export default function Alerts() {
  // Rules are evaluated every minute; the page follows quietly.
  const res = useApi('alerts', (s, o) => s.api.alerts.$get({ param: s.param }, o), REFRESH_MS)
  const deliveries = useDeliveries()
  return (
    <>
      <div class="page-head">
        <h1>Alerts</h1>
        <p class="muted">
          Rules on connection health, checked every minute, and the webhook that hears of them.
        </p>
      </div>
      <Loaded res={res}>
        {(d) => (
          <>
            <WebhookPanel webhook={d.webhook} onSent={deliveries.reload} />
            <Section
              title="Rules"
              aside={`${
                d.evaluated_at
                  ? `Last evaluated ${formatDateTime(d.evaluated_at)}`
                  : 'Not evaluated yet'
              } · each rule reads its own window, not the period above`}
            >
              {d.rules.length ? (
                <AlertRulesTable rules={d.rules} />
              ) : (
                <Empty>No alert rules: the site config sets `alerts` to none.</Empty>
              )}
            </Section>
          </>
        )}
      </Loaded>
      <DeliveriesPanel res={deliveries} />
    </>
  )
}
