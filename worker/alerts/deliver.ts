/**
 * Sending webhook messages (DESIGN §9, Standard Webhooks). Each attempt is claimed and recorded
 * in D1 before its request goes out, with the time of the next attempt already set: a crash
 * mid-send leaves the message pending, so it is sent again — with the same `webhook-id`, which
 * receivers use to drop a duplicate — and never lost. Retries follow 5 s, 5 m, 30 m, 2 h, 5 h,
 * 10 h, 24 h with ±10% jitter (a `Retry-After` pushes one later); a 410 disables the endpoint.
 * A slow or dead receiver costs at most the 10 s timeout and never blocks ingest or alerts.
 */
import { getConfig } from '../db/sites'
import {
  claimStatements,
  disableStatement,
  dueMessages,
  endpoint,
  finishStatements,
  type Endpoint,
  type MessageRow,
} from '../db/webhooks'
import type { Env } from '../env'
import { webhookHeaders } from './signing'
import { checkWebhookUrl, dohResolver, type Resolve } from './url-guard'

export const RETRY_DELAYS_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000,
]
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1
export const TIMEOUT_MS = 10_000
/** Messages one cron run sends at most (each costs ~4 queries), and at most per site. */
const PER_RUN = 20
const PER_SITE = 5

export type Sender = {
  allowLocal: boolean
  resolve: Resolve
  random: () => number
}

export function senderOf(env: Env): Sender {
  return {
    allowLocal: env.DEV_ALLOW_LOCAL_WEBHOOKS === '1',
    resolve: dohResolver(env.DNS_RESOLVER_URL),
    random: Math.random,
  }
}

export type AttemptOutcome = {
  attempt: number
  status_code: number | null
  error: string | null
  duration_ms: number
  message_status: MessageRow['status']
}

type Target = { url: string | null; endpoint: Endpoint | null }

async function targetOf(db: D1Database, siteId: string): Promise<Target> {
  const [config, ep] = await Promise.all([getConfig(db, siteId), endpoint(db, siteId)])
  return { url: config.webhook_url, endpoint: ep }
}

/** Delay before attempt `n + 1` after attempt `n` failed, or null when `n` was the last. */
export function retryDelay(n: number, random: () => number): number | null {
  const base = RETRY_DELAYS_MS[n - 1]
  return base === undefined ? null : Math.round(base * (0.9 + 0.2 * random()))
}

/**
 * How long a claimed last attempt may stay without an outcome before the message counts as
 * failed: a sender that died during it leaves the message due again, never pending forever.
 */
const LAST_LEASE_MS = 15 * 60_000

/**
 * Makes attempt `m.attempts + 1` of a message now; null if another run claimed it first.
 * `manual` (redelivery, test) sends even after the schedule ran out.
 */
export async function attemptDelivery(
  db: D1Database,
  m: MessageRow,
  sender: Sender,
  now: number,
  target?: Target,
  manual = false,
): Promise<AttemptOutcome | null> {
  const t = target ?? (await targetOf(db, m.site_id))
  const n = m.attempts + 1
  if (n > MAX_ATTEMPTS && !manual) {
    // The last attempt was claimed and never reported back.
    await db.batch(
      finishStatements(
        db,
        { id: m.id, attempt: m.attempts },
        { status_code: null, error: 'no outcome recorded: the sender stopped', duration_ms: 0 },
        { status: 'failed', next_attempt_at: null },
      ),
    )
    return null
  }
  const delay = retryDelay(n, sender.random)
  const next = delay === null ? null : now + delay
  const claim = await db.batch(
    claimStatements(db, m, t.url ?? '', now, next ?? now + LAST_LEASE_MS),
  )
  if (claim[1].meta.changes !== 1) return null

  const finish = async (
    outcome: { status_code: number | null; error: string | null },
    status: MessageRow['status'],
    nextAt: number | null,
    extra: D1PreparedStatement[] = [],
  ): Promise<AttemptOutcome> => {
    const duration_ms = Date.now() - started
    await db.batch([
      ...finishStatements(
        db,
        { id: m.id, attempt: n },
        { ...outcome, duration_ms },
        {
          status,
          next_attempt_at: status === 'pending' ? nextAt : null,
        },
      ),
      ...extra,
    ])
    return { attempt: n, ...outcome, duration_ms, message_status: status }
  }
  const started = Date.now()
  // Nothing to send to, or nowhere it may go: no retry changes that, a config change does.
  if (!t.url || !t.endpoint) {
    const error = !t.url ? 'no webhook_url is configured' : 'no webhook secret: rotate one'
    return finish({ status_code: null, error }, 'failed', null)
  }
  if (t.endpoint.disabled_at !== null) {
    return finish(
      { status_code: null, error: `endpoint disabled: ${t.endpoint.disabled_reason}` },
      'failed',
      null,
    )
  }
  const verdict = await checkWebhookUrl(t.url, sender)
  if (!verdict.ok) {
    // A resolver that failed may answer next time; a refused address stays refused.
    const error = `${verdict.retry ? 'not checked' : 'refused'}: webhook_url ${verdict.reason}`
    if (verdict.retry)
      return finish({ status_code: null, error }, next ? 'pending' : 'failed', next)
    return finish({ status_code: null, error }, 'failed', null)
  }
  const secrets = [t.endpoint.secret]
  if (t.endpoint.previous_secret && (t.endpoint.previous_until ?? 0) > now) {
    secrets.push(t.endpoint.previous_secret)
  }
  const headers = await webhookHeaders(secrets, m.id, Math.floor(now / 1000), m.body)
  let res: Response
  try {
    res = await fetch(t.url, {
      method: 'POST',
      headers,
      body: m.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    await res.body?.cancel()
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError'
    const error = timedOut
      ? `no answer within ${TIMEOUT_MS / 1000} s`
      : `unreachable: ${String((err as Error).message ?? err)}`
    return finish({ status_code: null, error }, next ? 'pending' : 'failed', next)
  }
  if (res.status >= 200 && res.status < 300) {
    return finish({ status_code: res.status, error: null }, 'delivered', null)
  }
  if (res.status === 410) {
    const reason = `410 Gone from ${t.url}`
    return finish(
      {
        status_code: 410,
        error: 'the endpoint answered 410 Gone: disabled until webhook_url is saved again',
      },
      'failed',
      null,
      [disableStatement(db, m.site_id, reason, now)],
    )
  }
  const later = retryAfter(res.headers.get('retry-after'), now)
  const nextAt = next === null ? null : Math.max(next, later ?? 0)
  return finish(
    { status_code: res.status, error: `answered ${res.status}` },
    nextAt ? 'pending' : 'failed',
    nextAt,
  )
}

/** `Retry-After` as seconds or an HTTP date, at most a day ahead; null if absent or unreadable. */
function retryAfter(header: string | null, now: number): number | null {
  if (!header) return null
  const s = Number(header)
  const at = Number.isFinite(s) ? now + s * 1000 : Date.parse(header)
  return Number.isFinite(at) ? Math.min(at, now + 86_400_000) : null
}

/** The cron step: every due message, a few at a time, in parallel. */
export async function deliverDue(
  db: D1Database,
  sender: Sender,
  now: number,
  budget: { left: number },
): Promise<number> {
  budget.left--
  // Oldest first, but no site takes the run: one site's burst or slow receiver waits its turn.
  const perSite = new Map<string, number>()
  const due = (await dueMessages(db, now, PER_RUN * PER_SITE))
    .filter((m) => {
      const n = (perSite.get(m.site_id) ?? 0) + 1
      perSite.set(m.site_id, n)
      return n <= PER_SITE
    })
    .slice(0, Math.min(PER_RUN, Math.floor(budget.left / 5)))
  budget.left -= due.length * 5
  const targets = new Map<string, Promise<Target>>()
  const target = (siteId: string) => {
    if (!targets.has(siteId)) targets.set(siteId, targetOf(db, siteId))
    return targets.get(siteId)!
  }
  const results = await Promise.allSettled(
    due.map(async (m) => attemptDelivery(db, m, sender, now, await target(m.site_id))),
  )
  for (const r of results)
    if (r.status === 'rejected') console.error('webhook attempt:', String(r.reason))
  return results.filter((r) => r.status === 'fulfilled' && r.value).length
}
