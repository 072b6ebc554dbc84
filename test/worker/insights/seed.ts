/**
 * Test data for the insight routes: events written straight to D1 (ingest refuses events older
 * than 7 days) and the days they touch rebuilt through the real rollups, as cron would.
 */
import { env } from 'cloudflare:workers'
import { insertEventStatements } from '../../../worker/db/events'
import { daysOf, rebuildDay } from '../../../worker/rollups'
import type { EventRow } from '../../../worker/schemas'
import { call, createKey, createSite, type TestSite } from '../helpers'

export const DAY = 86_400_000
/** Noon, ten days ago: well inside the default 30-day period. */
export const BASE = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 12 * 3600_000

export type Ev = Omit<Partial<EventRow>, 'type' | 'ts'> & { type: EventRow['type']; ts: number }

let seq = 0
export async function seed(site: TestSite, events: Ev[]): Promise<void> {
  const rows = events.map((e) => ({
    site_id: site.id,
    id: `t${++seq}`,
    received_at: e.ts,
    device: 'desktop' as const,
    ...e,
  }))
  await env.DB.batch(insertEventStatements(env.DB, rows))
  for (const { day } of daysOf(rows)) await rebuildDay(env.DB, site.id, day)
}

/** A site with `config` patched in, and a read key for it. */
export async function siteWith(config: Record<string, unknown> = {}) {
  const site = await createSite()
  if (Object.keys(config).length) {
    const res = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: config,
    })
    if (res.status !== 200) throw new Error(`config: ${res.status} ${await res.text()}`)
  }
  return { site, read: await createKey(site, 'read') }
}

export async function getJson<T = any>(path: string, token: string): Promise<T> {
  const res = await call(path, { token })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Step events of one run: `[seconds after start, step, status?, reason?]`. */
export function run(
  id: string,
  start: number,
  steps: [number, string, string?, string?][],
  fields: Partial<EventRow> = {},
  workflow = 'account_linking',
): Ev[] {
  return steps.map(([s, step, status, reason]) => ({
    type: 'step' as const,
    ts: start + s * 1000,
    workflow,
    run: id,
    step,
    uid: `u-${id}`,
    tier: 'free',
    ...(status ? { status: status as EventRow['status'] } : {}),
    ...(reason ? { reason } : {}),
    ...fields,
  }))
}

export const LINKING = {
  name: 'account_linking',
  steps: ['start', 'connect', 'verify', 'complete'],
  dropoff_type: 'integration',
  conversion_window_s: 1800,
}
