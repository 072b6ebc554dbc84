/** Sites and their config (DESIGN §5). */
import { SiteConfigSchema, type SiteConfig } from '../schemas'

export type Site = { id: string; name: string; public_key: string; created_at: number }

export async function findSite(db: D1Database, id: string): Promise<Site | null> {
  return db.prepare('SELECT * FROM sites WHERE id = ?1').bind(id).first<Site>()
}

export async function findSiteByPublicKey(db: D1Database, pk: string): Promise<Site | null> {
  return db.prepare('SELECT * FROM sites WHERE public_key = ?1').bind(pk).first<Site>()
}

export function insertSiteStatements(db: D1Database, site: Site, config: SiteConfig) {
  return [
    db
      .prepare('INSERT INTO sites (id, name, public_key, created_at) VALUES (?1, ?2, ?3, ?4)')
      .bind(site.id, site.name, site.public_key, site.created_at),
    putConfigStatement(db, site.id, config),
  ]
}

export async function getConfig(db: D1Database, siteId: string): Promise<SiteConfig> {
  const row = await db
    .prepare('SELECT config FROM site_config WHERE site_id = ?1')
    .bind(siteId)
    .first<{ config: string }>()
  return parseConfig(row?.config)
}

/**
 * The config and the site's data version (migrations/0006) read together, so an answer
 * computed with this config is kept under the version that goes with it. `version` is null
 * when there is no such site.
 */
export async function getConfigAndVersion(
  db: D1Database,
  siteId: string,
): Promise<{ config: SiteConfig; version: number | null }> {
  const row = await db
    .prepare(
      `SELECT s.data_version AS version, c.config
       FROM sites s LEFT JOIN site_config c ON c.site_id = s.id WHERE s.id = ?1`,
    )
    .bind(siteId)
    .first<{ version: number; config: string | null }>()
  return { config: parseConfig(row?.config), version: row?.version ?? null }
}

/**
 * A stored config as the current schema reads it. It was valid when saved, but a later release
 * may check more (migrations/0008 bounded `thresholds`): a field that no longer passes falls
 * back to its default, with a log line, rather than turning every read of the site — and the
 * PATCH that would repair it — into a 500.
 */
export function parseConfig(text: string | null | undefined): SiteConfig {
  const stored: Record<string, unknown> = text ? JSON.parse(text) : {}
  for (let tries = 0; tries < 20; tries++) {
    const result = SiteConfigSchema.safeParse(stored)
    if (result.success) return result.data
    const fields = new Set(result.error.issues.map((i) => String(i.path[0] ?? '')))
    console.error(`stored config: ${[...fields].join(', ')} no longer valid; using defaults`)
    if (fields.has('')) break
    for (const f of fields) delete stored[f]
  }
  return SiteConfigSchema.parse({})
}

export function putConfigStatement(db: D1Database, siteId: string, config: SiteConfig) {
  return db
    .prepare(
      `INSERT INTO site_config (site_id, config, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (site_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
    )
    .bind(siteId, JSON.stringify(config), Date.now())
}
