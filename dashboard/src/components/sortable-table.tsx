/**
 * A table whose column headers are buttons (keyboard: Tab, Enter). The order lives in the URL
 * (`sort=-value_score`), so a shared link shows the same order.
 */
import type { ComponentChildren } from 'preact'
import { useSite } from '../hooks/use-site'
import { formatSort, parseSort, sortRows, toggleSort, type SortOrder } from '../lib/sort'

export type Column<T> = {
  key: string
  label: string
  /** The value sorted on; omit to make the column unsortable. */
  value?: (row: T) => string | number | null | undefined
  cell: (row: T) => ComponentChildren
  numeric?: boolean
  title?: string
}

type Props<T> = {
  rows: readonly T[]
  columns: Column<T>[]
  rowKey: (row: T) => string
  defaultSort: SortOrder
  /** URL parameter holding the order; views with two tables give each its own. */
  param?: string
  caption?: string
}

export function SortableTable<T>(props: Props<T>) {
  const { state, navigate } = useSite()
  const param = props.param ?? 'sort'
  const order = parseSort(state.params[param], props.defaultSort)
  const column = props.columns.find((c) => c.key === order.key && c.value)
  const rows = column?.value ? sortRows(props.rows, order, column.value) : props.rows
  const sortBy = (key: string) =>
    navigate(
      { ...state, params: { ...state.params, [param]: formatSort(toggleSort(order, key)) } },
      true,
    )

  return (
    <div class="table-wrap">
      <table>
        {props.caption && <caption class="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => {
              const active = column?.key === c.key
              return (
                <th
                  key={c.key}
                  scope="col"
                  class={c.numeric ? 'num' : undefined}
                  title={c.title}
                  aria-sort={active ? (order.desc ? 'descending' : 'ascending') : undefined}
                >
                  {c.value ? (
                    <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                      {c.label}
                      <span class="sort-mark" aria-hidden="true">
                        {active ? (order.desc ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={props.rowKey(r)}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
