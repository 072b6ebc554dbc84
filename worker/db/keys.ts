/** Secret API keys: stored as SHA-256 hashes, shown once, compared in constant time. */
import type { ApiKey } from '../env'
import { randomToken, safeEqual, sha256Hex } from '../lib/crypto'
import type { ApiKeyInfo } from '../schemas'

type KeyRow = ApiKey & {
  hash: string
  name: string | null
  prefix: string
  created_at: number
  revoked_at: number | null
}

/** Makes a new key; the caller stores `statement` and shows `key` once. */
export async function newKey(db: D1Database, siteId: string, role: ApiKey['role'], name?: string) {
  const key = `sk_${randomToken(30)}`
  const row = {
    id: `key_${randomToken(9)}`,
    site_id: siteId,
    role,
    name: name ?? null,
    prefix: key.slice(0, 10),
    created_at: Date.now(),
  }
  const statement = db
    .prepare(
      `INSERT INTO api_keys (id, site_id, role, hash, prefix, name, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(row.id, siteId, role, await sha256Hex(key), row.prefix, row.name, row.created_at)
  return { key, info: toInfo({ ...row, revoked_at: null }), statement }
}

/** The live key that `token` is, or null. The lookup is by hash, so no secret is compared in SQL. */
export async function findKey(db: D1Database, token: string): Promise<ApiKey | null> {
  const hash = await sha256Hex(token)
  const row = await db
    .prepare('SELECT id, site_id, role, hash FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL')
    .bind(hash)
    .first<KeyRow>()
  if (!row || !(await safeEqual(row.hash, hash))) return null
  return { id: row.id, site_id: row.site_id, role: row.role }
}

export async function listKeys(db: D1Database, siteId: string): Promise<ApiKeyInfo[]> {
  const { results } = await db
    .prepare(
      `SELECT id, role, name, prefix, created_at, revoked_at FROM api_keys
       WHERE site_id = ?1 ORDER BY created_at DESC LIMIT 200`,
    )
    .bind(siteId)
    .all<KeyRow>()
  return results.map(toInfo)
}

/**
 * Revokes a live key — unless it is the site's last live admin key, which would lock the site
 * out for good (ADMIN_TOKEN only creates sites). `at` lets the caller audit in the same batch.
 */
export function revokeKeyStatement(db: D1Database, siteId: string, id: string, at: number) {
  return db
    .prepare(
      `UPDATE api_keys SET revoked_at = ?3
       WHERE site_id = ?1 AND id = ?2 AND revoked_at IS NULL
         AND (role <> 'admin' OR (SELECT count(*) FROM api_keys
              WHERE site_id = ?1 AND role = 'admin' AND revoked_at IS NULL) > 1)`,
    )
    .bind(siteId, id, at)
}

export async function findLiveKey(db: D1Database, siteId: string, id: string) {
  return db
    .prepare('SELECT role FROM api_keys WHERE site_id = ?1 AND id = ?2 AND revoked_at IS NULL')
    .bind(siteId, id)
    .first<{ role: ApiKey['role'] }>()
}

function toInfo(r: Omit<KeyRow, 'hash' | 'site_id'>): ApiKeyInfo {
  return {
    id: r.id,
    role: r.role,
    name: r.name,
    prefix: r.prefix,
    created_at: new Date(r.created_at).toISOString(),
    revoked_at: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  }
}
