/**
 * Site and config lookups for ingest, cached per isolate for a short while: every tracker
 * request names its site, and reading D1 twice per request would double the collector's cost.
 * A config change reaches other isolates within TTL_MS; this isolate drops its copy at once.
 */
import { findSite, findSiteByPublicKey, getConfig, type Site } from '../db/sites'
import type { SiteConfig } from '../schemas'

const TTL_MS = 30_000
type Entry = { site: Site; config: SiteConfig; at: number }
const byPublicKey = new Map<string, Entry>()

export async function siteForPublicKey(db: D1Database, pk: string): Promise<Entry | null> {
  const hit = byPublicKey.get(pk)
  if (hit && Date.now() - hit.at < TTL_MS) return hit
  const site = await findSiteByPublicKey(db, pk)
  if (!site) return null
  const entry = { site, config: await getConfig(db, site.id), at: Date.now() }
  byPublicKey.set(pk, entry)
  return entry
}

export async function siteForId(db: D1Database, id: string): Promise<Entry | null> {
  const site = await findSite(db, id)
  if (!site) return null
  return siteForPublicKey(db, site.public_key)
}

export function forgetSite(publicKey: string): void {
  byPublicKey.delete(publicKey)
}
