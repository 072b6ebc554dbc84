/** How §7.8 numbers read in tables and bars. Pure, tested in node. */
import type { InstitutionHealth } from '../api/types'
import { ERROR_SOURCES } from '../../../worker/wire-lists'
import { formatDuration, formatPercent, NONE } from './format'

export type SplitPart = 'success' | (typeof ERROR_SOURCES)[number]
export type Split = Record<SplitPart, number>

/** Where an attempt ended: a success, or a failure blamed on one source. */
export const SPLIT_PARTS: readonly SplitPart[] = ['success', ...ERROR_SOURCES]

export const SPLIT_LABEL: Record<SplitPart, string> = {
  success: 'Success',
  user: 'User',
  institution: 'Institution',
  aggregator: 'Aggregator',
  app: 'App',
  unknown: 'Unknown',
}

/** "Success 70.3%, Institution 27.7%, User 2%": the parts that happened, in a fixed order. */
export function splitText(split: Split): string {
  return SPLIT_PARTS.filter((p) => split[p] > 0)
    .map((p) => `${SPLIT_LABEL[p]} ${formatPercent(split[p])}`)
    .join(', ')
}

/** "p95 5d 3h · 45.8% delayed · 0% stopped", or a dash when freshness was not read. */
export function freshnessText(row: Pick<InstitutionHealth, 'data_sync_frequency'>): string {
  const f = row.data_sync_frequency?.freshness
  if (!f) return NONE
  return [
    `p95 ${formatDuration(f.p95_s)}`,
    `${formatPercent(f.delayed.value)} delayed`,
    `${formatPercent(f.stopped.value)} stopped`,
  ].join(' · ')
}
