import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insertEventStatements } from '../../worker/db/events'
import { purgeExpiredEvents } from '../../worker/scheduled'
import { call, countEvents, createSite } from './helpers'

const DAY = 86_400_000

describe('the retention purge', () => {
  it("deletes events older than the site's retention_days and keeps the rest", async () => {
    const site = await createSite()
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { retention_days: 30 },
    })
    const now = Date.now()
    const row = (id: string, age: number, type = 'page') => ({
      site_id: site.id,
      id,
      type,
      ts: now - age * DAY,
      received_at: now,
    })
    await env.DB.batch(
      insertEventStatements(env.DB, [
        row('old-page', 31),
        row('old-step', 40, 'step'),
        row('new', 29),
      ]),
    )
    await purgeExpiredEvents(env.DB, now)
    const { results } = await env.DB.prepare('SELECT id FROM events WHERE site_id = ?1')
      .bind(site.id)
      .all()
    expect(results).toEqual([{ id: 'new' }])
    expect(await countEvents(site.id)).toBe(1)
  })
})
