/**
 * Hand-built datasets for the funnel, journey and retention tests: events go through the real
 * write path (storeMessages, as the queue consumer calls it) with any timestamp, since the
 * 7-day ingest limit would refuse the fixed past dates these tests use.
 */
import { env } from 'cloudflare:workers'
import { storeMessages } from '../../../worker/ingest/store'
import { featureDays } from '../../../worker/rollups/feature-days'
import { userDays } from '../../../worker/rollups/user-days'
import type { EventRow } from '../../../worker/schemas'
import { call, createKey, createSite } from '../helpers'

export type StoredEvent = Partial<EventRow> & Pick<EventRow, 'type' | 'ts' | 'uid'>

let seq = 0
export async function store(siteId: string, events: StoredEvent[]): Promise<void> {
  const rows = events.map(
    (e) => ({ site_id: siteId, id: `ev${++seq}`, received_at: e.ts, ...e }) as EventRow,
  )
  const day = new Date(rows[0].ts).toISOString().slice(0, 10)
  await storeMessages(env.DB, [{ site_id: siteId, day, source: 'client', rows }])
}

/**
 * What cron does for the rollups retention and journeys read (per-user days and features):
 * rebuild each day the site's events touch. Only these rollups, so that these tests stand or
 * fall with them alone.
 */
export async function rebuildActivity(siteId: string): Promise<void> {
  const { results } = await env.DB.prepare('SELECT day FROM rollup_dirty WHERE site_id = ?1')
    .bind(siteId)
    .all<{ day: string }>()
  for (const { day } of results) {
    const dayStart = Date.parse(`${day}T00:00:00Z`)
    await env.DB.batch(
      [userDays, featureDays].flatMap((r) => r.rebuild(env.DB, siteId, dayStart, day)),
    )
  }
}

/** A fresh site and a `read` key for it. */
export async function readableSite() {
  const site = await createSite()
  return { site, key: await createKey(site, 'read') }
}

export async function getJson<T = any>(path: string, token: string) {
  const res = await call(path, { token })
  return { status: res.status, body: (await res.json()) as T }
}

export async function postJson<T = any>(path: string, token: string, body: unknown) {
  const res = await call(path, { method: 'POST', token, body })
  return { status: res.status, body: (await res.json()) as T }
}

export const at = (iso: string) => Date.parse(iso)
