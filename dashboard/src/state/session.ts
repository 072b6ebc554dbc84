/**
 * Signing in with a key alone. The key lives in sessionStorage (gone when the tab closes). A
 * link `/#key=sk_…` signs in without the key ever reaching a server: browsers do not send
 * the fragment, and the app removes it from the address bar at once. Pure helpers only.
 */
import type { Identity } from '../api/types'

export const STORAGE_KEY = 'stepwise.key'

/** The key in a location hash such as `#key=sk_abc`, or null. */
export function keyFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const key = params.get('key')?.trim()
  return key ? key : null
}

/** Why a typed key cannot work, before asking the server; null when it looks like a key. */
export function keyProblem(key: string): string | null {
  const k = key.trim()
  if (!k) return 'Paste a key to sign in.'
  if (k.startsWith('pk_')) {
    return 'That is the public key the tracker uses. Sign in with a secret read key (sk_…).'
  }
  if (!k.startsWith('sk_'))
    return 'Stepwise keys start with sk_. Check that the whole key was copied.'
  if (/\s/.test(k)) return 'A key has no spaces. Check that the whole key was copied.'
  return null
}

export type { Identity }

/** The message shown for a failed sign-in, from the HTTP status of `GET /v1/whoami`. */
export function signInError(status: number, role?: string): string {
  if (status === 401) return 'This key is unknown or has been revoked. Ask an admin for a read key.'
  if (status === 429) return 'Too many requests with this key. Wait a minute and try again.'
  if (status === 0) return 'Stepwise cannot be reached. Check your connection and try again.'
  if (role === 'ingest') {
    return 'This is an ingest key, which can only send events. Sign in with a read key.'
  }
  return `Signing in failed (HTTP ${status}). Try again in a moment.`
}

/** Ingest keys read nothing; read and admin keys can use the dashboard. */
export function canRead(identity: Identity): boolean {
  return identity.key.role === 'read' || identity.key.role === 'admin'
}
