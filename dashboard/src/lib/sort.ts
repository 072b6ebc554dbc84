/**
 * Sortable tables keep their order in the URL as `sort=column` (ascending) or `sort=-column`
 * (descending). Missing values always sort last, whichever the direction.
 */

export type SortOrder = { key: string; desc: boolean }

export function parseSort(param: string | undefined, fallback: SortOrder): SortOrder {
  if (!param) return fallback
  const desc = param.startsWith('-')
  const key = desc ? param.slice(1) : param
  return key ? { key, desc } : fallback
}

export function formatSort(order: SortOrder): string {
  return (order.desc ? '-' : '') + order.key
}

/** Clicking a column: the same column flips; a new one starts descending (biggest first). */
export function toggleSort(order: SortOrder, key: string): SortOrder {
  return order.key === key ? { key, desc: !order.desc } : { key, desc: true }
}

type Value = string | number | null | undefined

export function sortRows<T>(rows: readonly T[], order: SortOrder, get: (row: T) => Value): T[] {
  const dir = order.desc ? -1 : 1
  return rows
    .map((row, i) => ({ row, i, v: get(row) }))
    .sort((a, b) => {
      const am = a.v === null || a.v === undefined || Number.isNaN(a.v)
      const bm = b.v === null || b.v === undefined || Number.isNaN(b.v)
      if (am || bm) return am === bm ? a.i - b.i : am ? 1 : -1
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v))
      return c === 0 ? a.i - b.i : c * dir
    })
    .map((x) => x.row)
}
