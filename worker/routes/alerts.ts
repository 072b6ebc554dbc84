/**
 * Alerts and webhooks (DESIGN §9): `GET /alerts` (rules, each series' state, the endpoint),
 * `GET /alerts/deliveries` (every message and attempt), `POST /alerts/test`,
 * `POST /alerts/deliveries/:id/redeliver`, `POST|DELETE /alerts/:rule/snooze`.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { attemptDelivery, senderOf } from '../alerts/deliver'
import { scopeOf } from '../alerts/observe'
import { effectiveRules } from '../alerts/rules'
import { alertStates, snoozeStatement, snoozes, unsnoozeStatement } from '../db/alerts'
import { auditStatement } from '../db/audit'
import { getConfig } from '../db/sites'
import {
  attemptsOf,
  endpoint,
  findMessage,
  listMessages,
  messageStatement,
  type MessageRow,
} from '../db/webhooks'
import type { AppEnv } from '../env'
import { randomToken } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { requireRole } from '../middleware/auth'
import { validJson, validQuery } from '../middleware/valid'
import { durationSeconds } from '../schemas'

function iso(ms: number): string
function iso(ms: number | null): string | null
function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}\.msg_[A-Za-z0-9]{1,40}$/, 'must be a cursor from an earlier page')
    .optional(),
})

export const SnoozeBody = z
  .object({
    for: z.string().refine((d) => {
      const s = durationSeconds(d)
      return s !== null && s >= 60 && s <= 30 * 86_400
    }, 'must be a duration from 1m to 30d, like 2h'),
  })
  .strict()

async function withAttempts(db: D1Database, messages: MessageRow[]) {
  const attempts = await attemptsOf(
    db,
    messages.map((m) => m.id),
  )
  return messages.map((m) => ({
    id: m.id,
    type: m.type,
    rule_id: m.rule_id,
    series: m.series,
    created_at: iso(m.created_at),
    status: m.status,
    attempts: m.attempts,
    next_attempt_at: iso(m.status === 'pending' ? m.next_attempt_at : null),
    body: JSON.parse(m.body) as unknown,
    attempts_log: attempts
      .filter((a) => a.message_id === m.id)
      .map(({ message_id: _, started_at, ...a }) => ({ ...a, started_at: iso(started_at) })),
  }))
}

/** Sends one message now and answers it with its attempts. */
async function sendNow(c: { env: AppEnv['Bindings'] }, m: MessageRow) {
  const outcome = await attemptDelivery(c.env.DB, m, senderOf(c.env), Date.now(), undefined, true)
  if (!outcome) throw new ApiError(409, 'busy', 'This message is being sent right now; look again')
  const fresh = await findMessage(c.env.DB, m.site_id, m.id)
  return (await withAttempts(c.env.DB, [fresh!]))[0]
}

const alerts = new Hono<AppEnv>()
  .get('/', requireRole('read'), async (c) => {
    const siteId = c.req.param('site')!
    const now = Date.now()
    const [config, states, snoozed, ep] = await Promise.all([
      getConfig(c.env.DB, siteId),
      alertStates(c.env.DB, siteId),
      snoozes(c.env.DB, siteId, now),
      endpoint(c.env.DB, siteId),
    ])
    const rules = effectiveRules(config).map((r) => ({
      id: r.id,
      metric: r.metric,
      scope: r.scope,
      condition: r.condition,
      threshold: r.limit,
      use_thresholds: r.use_thresholds ?? null,
      window: r.window,
      min_sample: r.min_sample,
      pending_evaluations: r.pending_evaluations,
      repeat_every: r.repeat_every,
      default: r.default,
      snoozed_until: iso(snoozed.get(r.id) ?? null),
      series: states
        .filter((s) => s.rule_id === r.id)
        .map((s) => ({
          series: s.series,
          scope: scopeOf(s.series),
          state: s.state,
          since: iso(s.since),
          value: s.value,
          n: s.n,
          interval: s.lo === null || s.hi === null ? null : [s.lo, s.hi],
          threshold: s.threshold,
          evaluated_at: iso(s.evaluated_at),
        })),
    }))
    const evaluated = states.reduce((m, s) => Math.max(m, s.evaluated_at), 0)
    return c.json({
      webhook: {
        url: config.webhook_url,
        enabled: Boolean(config.webhook_url && ep && ep.disabled_at === null),
        disabled_at: iso(ep?.disabled_at ?? null),
        disabled_reason: ep?.disabled_reason ?? null,
        has_secret: Boolean(ep),
      },
      evaluated_at: iso(evaluated || null),
      rules,
    })
  })

  .get('/deliveries', requireRole('read'), validQuery(ListQuery), async (c) => {
    const q = c.req.valid('query')
    const before = q.cursor
      ? {
          created_at: Number(q.cursor.split('.')[0]),
          id: q.cursor.slice(q.cursor.indexOf('.') + 1),
        }
      : null
    const rows = await listMessages(c.env.DB, c.req.param('site')!, q.limit + 1, before)
    const page = rows.slice(0, q.limit)
    const last = page.at(-1)
    return c.json({
      deliveries: await withAttempts(c.env.DB, page),
      next_cursor: rows.length > q.limit && last ? `${last.created_at}.${last.id}` : null,
    })
  })

  .post('/test', requireRole('admin'), async (c) => {
    const siteId = c.req.param('site')!
    const config = await getConfig(c.env.DB, siteId)
    if (!config.webhook_url) {
      throw new ApiError(409, 'no_webhook_url', 'Set webhook_url in the site config first')
    }
    if (!(await endpoint(c.env.DB, siteId))) {
      throw new ApiError(
        409,
        'no_webhook_secret',
        'This site has no signing secret: POST /v1/sites/:site/webhook/secret makes one',
      )
    }
    const now = Date.now()
    const m: MessageRow = {
      id: `msg_${randomToken(18)}`,
      site_id: siteId,
      type: 'test',
      rule_id: null,
      series: null,
      body: JSON.stringify({
        type: 'test',
        alert: null,
        message: 'A test from Stepwise: this endpoint receives alert webhooks.',
        at: new Date(now).toISOString(),
        url: c.env.PUBLIC_URL ? `${c.env.PUBLIC_URL}/alerts` : null,
      }),
      created_at: now,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
    }
    await c.env.DB.batch([
      messageStatement(c.env.DB, m, false),
      auditStatement(c.env.DB, siteId, c.get('key').id, 'alerts.test', { message: m.id }),
    ])
    return c.json({ delivery: await sendNow(c, m) })
  })

  .post('/deliveries/:id/redeliver', requireRole('admin'), async (c) => {
    const siteId = c.req.param('site')!
    const m = await findMessage(c.env.DB, siteId, c.req.param('id'))
    if (!m) throw new ApiError(404, 'not_found', 'No such delivery')
    await auditStatement(c.env.DB, siteId, c.get('key').id, 'alerts.redeliver', {
      message: m.id,
    }).run()
    return c.json({ delivery: await sendNow(c, m) })
  })

  .post('/:rule/snooze', requireRole('admin'), validJson(SnoozeBody), async (c) => {
    const siteId = c.req.param('site')!
    const ruleId = c.req.param('rule')
    const body = c.req.valid('json')
    const config = await getConfig(c.env.DB, siteId)
    if (!effectiveRules(config).some((r) => r.id === ruleId)) {
      throw new ApiError(404, 'not_found', `No alert rule "${ruleId}"`)
    }
    const until = Date.now() + durationSeconds(body.for)! * 1000
    await c.env.DB.batch([
      snoozeStatement(c.env.DB, siteId, ruleId, until),
      auditStatement(c.env.DB, siteId, c.get('key').id, 'alerts.snooze', { rule: ruleId, until }),
    ])
    return c.json({ rule: ruleId, snoozed_until: iso(until) })
  })

  .delete('/:rule/snooze', requireRole('admin'), async (c) => {
    const siteId = c.req.param('site')!
    const ruleId = c.req.param('rule')
    await c.env.DB.batch([
      unsnoozeStatement(c.env.DB, siteId, ruleId),
      auditStatement(c.env.DB, siteId, c.get('key').id, 'alerts.unsnooze', { rule: ruleId }),
    ])
    return c.json({ rule: ruleId, snoozed_until: null })
  })

export default alerts
