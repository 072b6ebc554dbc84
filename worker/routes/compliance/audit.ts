/**
 * `GET /v1/sites/:site/audit` (admin, DESIGN §10): the site's audit log, newest first, in
 * keyset pages; filters `action`, `key_id`, `from`/`to` (dates, `to` inclusive).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { listAudit } from '../../db/audit'
import type { AppEnv } from '../../env'
import { encodeCursor, type CursorValue } from '../../lib/cursor'
import { ApiError } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { calendarDay, cursorOf, dayRange } from './query'

export const AuditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorOf(
      (v: CursorValue[]): v is [number, number] =>
        v.length === 2 && v.every((n) => Number.isSafeInteger(n)),
    ).optional(),
    action: z.string().min(1).max(64).optional(),
    key_id: z.string().min(1).max(64).optional(),
    from: calendarDay.optional(),
    to: calendarDay.optional(),
  })
  .strict()

/**
 * What an action was done to, from the details its route keeps (worker/routes): `key:<id>`,
 * `user:<sha256 of the uid>`, `message:<id>`, `rule:<id>`, or the part of the site it changed.
 */
const TARGETS = new Map<string, (d: Record<string, unknown>) => string>([
  ['key.create', (d) => `key:${d.id}`],
  ['key.revoke', (d) => `key:${d.id}`],
  ['user.erase', (d) => `user:${d.uid_sha256}`],
  ['user.export', (d) => `user:${d.uid_sha256}`],
  ['alerts.test', (d) => `message:${d.message}`],
  ['alerts.redeliver', (d) => `message:${d.message}`],
  ['alerts.snooze', (d) => `rule:${d.rule}`],
  ['alerts.unsnooze', (d) => `rule:${d.rule}`],
  ['site.create', () => 'site'],
  ['config.update', () => 'config'],
  ['webhook.secret_rotate', () => 'webhook'],
  ['events.export', () => 'events'],
  ['events.import', () => 'events'],
])

const audit = new Hono<AppEnv>().get(
  '/',
  requireRole('admin'),
  validQuery(AuditQuerySchema),
  async (c) => {
    const q = c.req.valid('query')
    const { from, to } = dayRange(q)
    if (from !== undefined && to !== undefined && from >= to) {
      throw new ApiError(400, 'invalid_query', 'from must not be after to')
    }
    const rows = await listAudit(c.env.DB, {
      siteId: c.req.param('site')!,
      limit: q.limit + 1,
      before: q.cursor ? { at: q.cursor[0], id: q.cursor[1] } : null,
      action: q.action,
      keyId: q.key_id,
      from,
      to,
    })
    const page = rows.slice(0, q.limit)
    const last = page.at(-1)
    return c.json({
      entries: page.map((r) => {
        const details =
          r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>)
        return {
          id: r.id,
          at: new Date(r.at).toISOString(),
          key_id: r.key_id,
          action: r.action,
          target: TARGETS.get(r.action)?.(details ?? {}) ?? null,
          details,
        }
      }),
      next_cursor: rows.length > q.limit && last ? encodeCursor([last.at, last.id]) : null,
    })
  },
)

export default audit
