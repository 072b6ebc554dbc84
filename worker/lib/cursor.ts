/**
 * Opaque keyset cursors: the sort key of the last row a page gave, as base64url JSON, so a
 * client resumes after it without knowing (or depending on) what the key holds.
 */
export type CursorValue = string | number

export function encodeCursor(values: CursorValue[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** The values of a cursor this API gave, or null for anything else. */
export function decodeCursor(text: string): CursorValue[] | null {
  if (text.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(text)) return null
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    const json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    )
    const values: unknown = JSON.parse(json)
    if (!Array.isArray(values) || !values.length) return null
    const ok = values.every((v) => typeof v === 'string' || Number.isFinite(v))
    return ok ? (values as CursorValue[]) : null
  } catch {
    return null
  }
}
