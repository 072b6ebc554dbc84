/**
 * The site's webhook endpoint (DESIGN §9): where alerts go, whether it is on (a 410 answer
 * turns it off), and a button that sends a test message through the real delivery path.
 */
import { answer } from '../api/client'
import type { AlertsResponse, DeliveryResponse } from '../api/types'
import { useAction } from '../hooks/use-action'
import { useSite } from '../hooks/use-site'
import { deliverySummary } from '../lib/alerts'
import { formatDateTime } from '../lib/format'
import { ActionNote } from './action-note'
import { Section } from './bits'
import { StatusBadge } from './status-badge'

type Props = { webhook: AlertsResponse['webhook']; onSent: () => void }

export function WebhookPanel({ webhook: w, onSent }: Props) {
  const { client } = useSite()
  const test = useAction<DeliveryResponse>(onSent)
  return (
    <Section title="Webhook">
      <p class="webhook-status">
        {w.url ? (
          <code class="break">{w.url}</code>
        ) : (
          <span>No webhook_url in the site config.</span>
        )}{' '}
        {w.enabled ? (
          <StatusBadge tone="good">Enabled</StatusBadge>
        ) : w.url ? (
          <StatusBadge tone={w.disabled_at ? 'critical' : 'low'}>Disabled</StatusBadge>
        ) : null}
        {w.disabled_at && (
          <span class="muted">
            {' '}
            since {formatDateTime(w.disabled_at)}
            {w.disabled_reason ? `: ${w.disabled_reason}` : ''}
          </span>
        )}
        <span class="muted">
          {' '}
          · {w.has_secret ? 'signed with a whsec_ secret' : 'no signing secret yet'}
        </span>
      </p>
      <button
        type="button"
        class="primary"
        disabled={test.busy}
        onClick={() =>
          test.run(() => answer(client.api.alerts.test.$post({ param: client.param })))
        }
      >
        Send test
      </button>
      <ActionNote action={test}>{(r) => deliverySummary(r.delivery)}</ActionNote>
    </Section>
  )
}
