/**
 * One user's data (admin, audited; DESIGN §10): `DELETE /v1/sites/:site/users/:uid` erases it,
 * `GET /v1/sites/:site/users/:uid/export` gives all of it (GDPR art. 15). The audit log keeps
 * the SHA-256 of the uid, not the uid, so an erased user is named nowhere afterwards.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { auditStatement } from '../../db/audit'
import { eraseUserStatements, userSections } from '../../db/users'
import type { AppEnv } from '../../env'
import { sha256Hex } from '../../lib/crypto'
import type { CursorValue } from '../../lib/cursor'
import { ApiError, parse } from '../../lib/errors'
import { requireRole } from '../../middleware/auth'
import { validQuery } from '../../middleware/valid'
import { cursorOf } from './query'
import { MAX_EXPORT_ROWS } from './export'
import { exportedEvent, pagesWithCursors, positionOf, pullStream } from './stream'

/** As events carry it (worker/schemas.ts `uid`). */
export const UidSchema = z.string().min(1).max(128)

export const UserExportQuerySchema = z
  .object({
    cursor: cursorOf((v: CursorValue[]): v is CursorValue[] => typeof v[0] === 'string').optional(),
    limit: z.coerce.number().int().min(1).max(MAX_EXPORT_ROWS).default(MAX_EXPORT_ROWS),
  })
  .strict()

const users = new Hono<AppEnv>()
  /**
   * Idempotent: a user with nothing stored (never seen, or erased already) answers 200 with every
   * count 0, so a retried erasure is safe and says there was nothing left.
   */
  .delete('/:uid', requireRole('admin'), async (c) => {
    const siteId = c.req.param('site')!
    const uid = parse(UidSchema, c.req.param('uid'), 'path')
    const uidSha256 = await sha256Hex(uid)
    const erase = eraseUserStatements(c.env.DB, siteId, uid, { keyId: c.get('key').id, uidSha256 })
    const results = await c.env.DB.batch(erase.statements)
    return c.json({
      uid_sha256: uidSha256,
      removed: erase.counts(results),
      erased_at: new Date().toISOString(),
    })
  })
  .get('/:uid/export', requireRole('admin'), validQuery(UserExportQuerySchema), async (c) => {
    const siteId = c.req.param('site')!
    const uid = parse(UidSchema, c.req.param('uid'), 'path')
    const q = c.req.valid('query')
    const sections = userSections(siteId, uid)
    const start = q.cursor ? positionOf(sections, q.cursor) : { section: 0, after: null }
    if (!start) throw new ApiError(400, 'invalid_query', 'cursor: it belongs to another export')
    await auditStatement(c.env.DB, siteId, c.get('key').id, 'user.export', {
      uid_sha256: await sha256Hex(uid),
      resumed: Boolean(q.cursor),
    }).run()
    const head = { site: siteId, uid, exported_at: new Date().toISOString() }
    const pages = pagesWithCursors(c.env.DB, sections, start, q.limit)
    return c.body(
      pullStream(
        document(
          head,
          sections.map((s) => s.name),
          start.section,
          pages,
        ),
      ),
      200,
      {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${siteId}-user-export.json"`,
        'cache-control': 'no-store',
      },
    )
  })

/**
 * `{site, uid, exported_at, tables: {events: […], rollup_user_days: […], …}, next_cursor}`,
 * written as it is read: every table from the cursor's on, each its rows without `site_id`.
 * At most `limit` rows; past them `next_cursor` resumes (null: that was all).
 */
async function* document(
  head: Record<string, string>,
  names: string[],
  first: number,
  pages: ReturnType<typeof pagesWithCursors>,
) {
  yield JSON.stringify(head).slice(0, -1) + ',"tables":{'
  let open = first - 1
  let rows = 0
  const openTo = (section: number) => {
    let text = ''
    for (; open < section; rows = 0) {
      text += `${open >= first ? '],' : ''}${JSON.stringify(names[++open])}:[`
    }
    return text
  }
  for (;;) {
    const step = await pages.next()
    if (step.done) {
      // Cut short (next_cursor): the tables after this one come with the next request.
      const rest = step.value ? '' : openTo(names.length - 1)
      yield `${rest}]},"next_cursor":${JSON.stringify(step.value)}}`
      return
    }
    let text = openTo(step.value.section)
    for (const { row } of step.value.rows) {
      const { site_id: _, ...fields } = names[open] === 'events' ? exportedEvent(row) : row
      text += (rows++ ? ',' : '') + JSON.stringify(fields)
    }
    yield text
  }
}

export default users
