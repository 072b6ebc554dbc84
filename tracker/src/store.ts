/**
 * The tracker's only memory: JSON values in localStorage under `sw_` keys (never cookies).
 * Storage is used by property access (`area[key]`), which a plain object supports too: where
 * a page may not use localStorage (sandboxed frames, blocked storage, a full quota), an object
 * in memory stands in, and tracking degrades to this page view instead of failing.
 */
let area: Record<string, string> = {}
try {
  area = localStorage || area
} catch {}

export const get = <T>(key: string): T | undefined => {
  try {
    return JSON.parse(area[key])
  } catch {}
}

/** A failed write (the quota is full) loses only this value. */
export const set = (key: string, value: unknown): void => {
  try {
    area[key] = JSON.stringify(value)
  } catch {}
}

export const del = (key: string) => delete area[key]

export const keys = (): string[] => Object.keys(area)

export const has = (key: string): boolean => key in area
