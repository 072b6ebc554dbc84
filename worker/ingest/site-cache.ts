/**
 * Site and config lookups for ingest, cached per isolate for a short while: every tracker
 * request names its site, and reading D1 twice per request would double the collector's cost.
 * A config change or a revoked ingest key reaches other isolates within TTL_MS; the isolate
 * that made the change drops its copy at once. (Read and admin keys are never cached.)
 * A public key or token names no site, so its first lookup asks every shard at once
 * (db/shards.ts); the cache keeps that to one round of queries per key and isolate.
 */
import { findKey } from '../db/keys'
import { findInShards, shardFor } from '../db/shards'
import { findSite, findSiteByPublicKey, getConfig, type Site } from '../db/sites'
import type { ApiKey, Env } from '../env'
import type { SiteConfig } from '../schemas'

const TTL_MS = 30_000
type Entry = { site: Site; config: SiteConfig; at: number }
const byPublicKey = new Map<string, Entry>()

export async function siteForPublicKey(env: Env, pk: string): Promise<Entry | null> {
  const hit = byPublicKey.get(pk)
  if (hit && Date.now() - hit.at < TTL_MS) return hit
  const site = await findInShards(
    env,
    (db) => findSiteByPublicKey(db, pk),
    (s) => s.id,
  )
  if (!site) return null
  const entry = { site, config: await getConfig(shardFor(env, site.id), site.id), at: Date.now() }
  byPublicKey.set(pk, entry)
  return entry
}

const publicKeyById = new Map<string, string>()

export async function siteForId(env: Env, id: string): Promise<Entry | null> {
  let pk = publicKeyById.get(id)
  if (!pk) {
    const site = await findSite(shardFor(env, id), id)
    if (!site) return null
    publicKeyById.set(id, (pk = site.public_key))
  }
  return siteForPublicKey(env, pk)
}

export function forgetSite(publicKey: string): void {
  byPublicKey.delete(publicKey)
}

const keysByToken = new Map<string, { key: ApiKey | null; at: number }>()

/** The live key `token` is (or null), remembered for TTL_MS: senders reuse one key all day. */
export async function keyForIngest(env: Env, token: string): Promise<ApiKey | null> {
  const hit = keysByToken.get(token)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.key
  const key = await findInShards(
    env,
    (db) => findKey(db, token),
    (k) => k.site_id,
  )
  if (keysByToken.size > 1000) keysByToken.clear()
  keysByToken.set(token, { key, at: Date.now() })
  return key
}

export function forgetKey(id: string): void {
  for (const [token, entry] of keysByToken) if (entry.key?.id === id) keysByToken.delete(token)
}
