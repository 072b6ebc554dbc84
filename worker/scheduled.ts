/**
 * Cron work (DESIGN §2). Retention: events older than each site's `retention_days` are
 * deleted in bounded slices, so one run stays far inside D1's per-invocation query limit.
 */
import type { Env } from './env'
import { rebuildDirtyDays } from './rollups'
import { EVENT_TYPES, SiteConfigSchema } from './schemas'

const DELETE_SLICE = 5_000
const MAX_QUERIES_PER_RUN = 200
/** Naming every type lets the delete walk the (site_id, type, ts) index instead of the table. */
const TYPES_SQL = EVENT_TYPES.map((t) => `'${t}'`).join(', ')

export async function runScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  await rebuildDirtyDays(env.DB)
  await purgeExpiredEvents(env.DB, Date.now())
}

export async function purgeExpiredEvents(db: D1Database, now: number): Promise<number> {
  const { results } = await db
    .prepare(
      'SELECT s.id, c.config FROM sites s LEFT JOIN site_config c ON c.site_id = s.id LIMIT 150',
    )
    .all<{ id: string; config: string | null }>()
  let deleted = 0
  let queries = 1
  for (const site of results) {
    const { retention_days } = SiteConfigSchema.parse(site.config ? JSON.parse(site.config) : {})
    const cutoff = now - retention_days * 86_400_000
    while (queries++ < MAX_QUERIES_PER_RUN) {
      const { meta } = await db
        .prepare(
          `DELETE FROM events WHERE site_id = ?1 AND id IN (
             SELECT id FROM events WHERE site_id = ?1 AND type IN (${TYPES_SQL}) AND ts < ?2 LIMIT ?3)`,
        )
        .bind(site.id, cutoff, DELETE_SLICE)
        .run()
      deleted += meta.changes
      if (meta.changes < DELETE_SLICE) break
    }
  }
  return deleted
}
