/**
 * The retention heatmap's cells (dashboard/src/lib/retention-cells.ts): the API's null is "no
 * data", so it shows as "–" with the reason, never as 0%; a real 0 is still 0%.
 */
import { describe, expect, it } from 'vitest'
import type { RetentionCohort } from '../../dashboard/src/api/types'
import { NONE } from '../../dashboard/src/lib/format'
import { averageCell, cohortCell } from '../../dashboard/src/lib/retention-cells'

const cohort = (over: Partial<RetentionCohort> = {}): RetentionCohort => ({
  start: '2026-03-02',
  size: 8,
  retained: [8, 0, 3],
  rates: [1, 0, 0.375],
  ...over,
})

describe('retention heatmap cells', () => {
  it('shows an average no complete cohort has reached yet as a dash, saying so', () => {
    const average = [1, 0.25, null]
    const cell = averageCell(average, 2, 'Week')
    expect(cell.text).toBe(NONE)
    expect(cell.text).not.toBe('0%')
    expect(cell.title).toBe('Average week 2: no complete cohort with users yet')
    expect(cell.share).toBeNull()
  })

  it('shows averages the API computed as percentages, 0 included', () => {
    expect(averageCell([1, 0.25, null], 1, 'Day')).toEqual({
      share: 0.25,
      text: '25%',
      title: 'Average day 1',
    })
    expect(averageCell([1, 0], 1, 'Day').text).toBe('0%')
  })

  it('shows a cohort of nobody as dashes, not 0%', () => {
    const empty = cohort({ size: 0, retained: [0, 0], rates: [null, null] })
    for (const k of [0, 1]) {
      const cell = cohortCell(empty, k)
      expect(cell.text).toBe(NONE)
      expect(cell.title).toBe('No users were first seen in this cohort')
    }
  })

  it('shows a cohort period as its share with the counts, and one not begun as empty', () => {
    const c = cohort()
    expect(cohortCell(c, 1)).toEqual({ share: 0, text: '0%', title: '0 of 8' })
    expect(cohortCell(c, 2)).toEqual({ share: 0.375, text: '37.5%', title: '3 of 8' })
    expect(cohortCell(c, 3)).toEqual({ share: undefined, text: '', title: '' })
  })
})
