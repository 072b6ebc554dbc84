/**
 * Sharding by site (DESIGN §11, docs/scaling.md). Every D1 binding named `DB` or `DB_<name>` is
 * a shard holding the whole schema; all of a site's rows live in one shard. `SITE_SHARDS` (JSON)
 * names the shard of each site that is not in `DB`: `{"site-a": "DB_2", "eu-*": "DB_EU"}`, where
 * a key ending in `*` matches every id that starts with the rest (the longest such prefix wins,
 * an exact id before any prefix). Everything else — the map's ids and the shards' rows — is read
 * through here, so no caller picks a database itself.
 */
import type { Env } from '../env'
import { ApiError } from '../lib/errors'

export const DEFAULT_SHARD = 'DB'
const SHARD_NAME = /^DB(_[A-Za-z0-9_]+)?$/

export type Shard = { name: string; db: D1Database; env: Env }
type ShardMap = { exact: Map<string, string>; prefixes: [string, string][]; shards: string[] }

/** The parsed map of each Worker env, so a request parses and checks nothing. */
const parsed = new WeakMap<Env, { text: string; map: ShardMap }>()

/** The shard's name for `siteId`: `DB` unless the map names another. */
export function shardNameFor(env: Env, siteId: string): string {
  const map = shardMap(env)
  const exact = map.exact.get(siteId)
  if (exact) return exact
  for (const [prefix, shard] of map.prefixes) if (siteId.startsWith(prefix)) return shard
  return DEFAULT_SHARD
}

export function shardFor(env: Env, siteId: string): D1Database {
  return d1(env, shardNameFor(env, siteId))
}

/**
 * `env` with `DB` the site's shard: what every route under /v1/sites/:site, the queue consumer
 * and ingest hand on, so code below them reads `env.DB` and meets only the site's rows.
 */
export function envForSite(env: Env, siteId: string): Env {
  return envOf(env, shardNameFor(env, siteId))
}

/** Every shard, `DB` first: cron's jobs and lookups that know no site yet go over all of them. */
export function allShards(env: Env): Shard[] {
  return shardMap(env).shards.map((name) => ({ name, db: d1(env, name), env: envOf(env, name) }))
}

/**
 * `items` grouped by their site's shard, each group with its shard's env, in the order the
 * shards first appear. An item with no site (a malformed message) goes to `DB`.
 */
export function byShard<T>(env: Env, items: readonly T[], siteOf: (item: T) => unknown) {
  const groups = new Map<string, { env: Env; items: T[] }>()
  for (const item of items) {
    const site = siteOf(item)
    const name = typeof site === 'string' ? shardNameFor(env, site) : DEFAULT_SHARD
    let group = groups.get(name)
    if (!group) groups.set(name, (group = { env: envOf(env, name), items: [] }))
    group.items.push(item)
  }
  return [...groups.values()]
}

/**
 * Looks a row up in every shard at once (one round trip, a query per shard) and keeps the hit
 * from the shard the map names for its site: a copy left behind in the old shard of a moved
 * site is never read (docs/scaling.md). Throws a shard's error only if no shard had the row.
 */
export async function findInShards<T>(
  env: Env,
  find: (db: D1Database) => Promise<T | null>,
  siteOf: (row: T) => string,
): Promise<T | null> {
  const shards = allShards(env)
  // A shard that fails (down, behind on migrations) costs only its own sites their lookups.
  const found = await Promise.allSettled(shards.map((s) => find(s.db)))
  let failure: unknown = null
  for (const [i, r] of found.entries()) {
    if (r.status === 'rejected') failure ??= r.reason
    else if (r.value !== null && shardNameFor(env, siteOf(r.value)) === shards[i]!.name) {
      return r.value
    }
  }
  if (failure) throw failure
  return null
}

/**
 * A shard's env keeps the Worker's own env beside it, so a lookup made from inside a site's
 * request (whose `DB` is that site's shard) still finds the real `DB` and every other shard.
 */
const ROOT = Symbol('the Worker env')
type Sharded = Env & { [ROOT]?: Env }

function rootOf(env: Env): Env {
  return (env as Sharded)[ROOT] ?? env
}

/** `env` (whatever else a caller changed in it) with `DB` the shard `name`. */
function envOf(env: Env, name: string): Env {
  const db = d1(env, name)
  if (db === env.DB) return env
  const copy: Sharded = { ...env, DB: db, [ROOT]: rootOf(env) }
  return copy
}

function d1(env: Env, name: string): D1Database {
  return (rootOf(env) as unknown as Record<string, D1Database>)[name]!
}

function shardMap(env: Env): ShardMap {
  const root = rootOf(env)
  const text = root.SITE_SHARDS ?? ''
  const hit = parsed.get(root)
  if (hit?.text === text) return hit.map
  const map = parseShardMap(root, text)
  parsed.set(root, { text, map })
  return map
}

/**
 * Checks the whole map on first use, so a wrong binding name fails every request with the same
 * plain message (and a log line) instead of only the mapped sites' requests with a vague one.
 */
export function parseShardMap(env: Env, text: string): ShardMap {
  const bindings = Object.entries(env as unknown as Record<string, unknown>)
    .filter(([name, b]) => SHARD_NAME.test(name) && isD1(b))
    .map(([name]) => name)
    .sort((a, b) => (a === DEFAULT_SHARD ? -1 : b === DEFAULT_SHARD ? 1 : a.localeCompare(b)))
  const fail = (why: string): never => {
    const message = `SITE_SHARDS ${why} (D1 bindings: ${bindings.join(', ') || 'none'})`
    console.error(message)
    throw new ApiError(500, 'shard_config', message)
  }
  if (!bindings.includes(DEFAULT_SHARD)) fail('needs the default shard, a D1 binding named DB')
  let raw: unknown = {}
  try {
    if (text.trim()) raw = JSON.parse(text)
  } catch {
    fail('is not JSON')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('must be a JSON object of site id → binding name')
  }
  const exact = new Map<string, string>()
  const prefixes: [string, string][] = []
  for (const [site, shard] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof shard !== 'string' || !bindings.includes(shard)) {
      fail(`maps "${site}" to ${JSON.stringify(shard)}, which is not a D1 binding named DB or DB_…`)
    }
    if (site.endsWith('*')) prefixes.push([site.slice(0, -1), shard as string])
    else exact.set(site, shard as string)
  }
  prefixes.sort((a, b) => b[0].length - a[0].length)
  return { exact, prefixes, shards: bindings }
}

function isD1(binding: unknown): binding is D1Database {
  const b = binding as Partial<D1Database> | null
  return typeof b?.prepare === 'function' && typeof b.batch === 'function'
}
