/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `id.timestamp.body` with the secret's base64-decoded bytes (after `whsec_`), sent base64 as
 * `v1,<signature>`; several space-separated while a rotated secret still signs.
 */

export const SECRET_PREFIX = 'whsec_'

/** 32 random bytes, base64, as the spec serialises a symmetric secret. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)))
}

export async function sign(secret: string, id: string, timestamp: number, body: string) {
  const raw = Uint8Array.from(atob(secret.slice(SECRET_PREFIX.length)), (c) => c.charCodeAt(0))
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  )
  return `v1,${toBase64(new Uint8Array(mac))}`
}

/** The three headers of one attempt; `secrets` current first, then one still valid. */
export async function webhookHeaders(
  secrets: string[],
  id: string,
  timestampS: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => sign(s, id, timestampS, body)))
  return {
    'content-type': 'application/json',
    'user-agent': 'Stepwise-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': signatures.join(' '),
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}
