/**
 * What a cell of the retention heatmap says. Rates are fractions; the API's null is "no data",
 * never 0%: the average of a period no complete cohort with users has reached yet, or any
 * period of a cohort of nobody, shows "–" and says why. A period that has not begun for a
 * cohort (no rate at all) is an empty cell.
 */
import type { RetentionCohort } from '../api/types'
import { formatCount, formatPercent } from './format'

export type HeatCell = { share: number | null | undefined; text: string; title: string }

const textOf = (share: number | null | undefined) =>
  share === undefined ? '' : formatPercent(share)

/** The "All cohorts" row: period `k`'s average over the cohorts that have completed it. */
export function averageCell(average: (number | null)[], k: number, unit: string): HeatCell {
  const share = average[k]
  const name = `Average ${unit.toLowerCase()} ${k}`
  const title = share === null ? `${name}: no complete cohort with users yet` : name
  return { share, text: textOf(share), title }
}

/** Period `k` of one cohort: the share of its users active then. */
export function cohortCell(c: RetentionCohort, k: number): HeatCell {
  const share = c.rates[k]
  if (k >= c.retained.length) return { share: undefined, text: '', title: '' }
  const title =
    c.size === 0
      ? 'No users were first seen in this cohort'
      : `${formatCount(c.retained[k])} of ${formatCount(c.size)}`
  return { share, text: textOf(share), title }
}
