/**
 * Funnel bars for workflows and ad-hoc funnels: one row per step, the bar's length the share
 * of the first step, with the step's count and conversion, and whatever detail the view adds.
 */
import type { ComponentChildren } from 'preact'
import { formatCount, formatPercent } from '../lib/format'
import { Bar } from './bits'

export type FunnelRow = {
  key: string
  label: ComponentChildren
  count: number
  /** Share of the first step, 0..1. */
  fromStart: number
  /** Conversion from the previous step, 0..1; null on the first. */
  fromPrevious: number | null
  detail?: ComponentChildren
}

export function FunnelBars({ rows, label }: { rows: FunnelRow[]; label: string }) {
  return (
    <ol class="funnel" aria-label={label}>
      {rows.map((r, i) => (
        <li key={r.key} class="funnel-step">
          <div class="break">
            <span class="muted">{i + 1}.</span> {r.label}
          </div>
          <Bar
            share={r.fromStart}
            tone={r.fromPrevious !== null && r.fromPrevious < 0.6 ? 'warn' : 'accent'}
            label={`${formatPercent(r.fromStart)} of the first step`}
          />
          <div class="num">
            <strong>{formatCount(r.count)}</strong>{' '}
            <span class="muted">{formatPercent(r.fromStart)}</span>
          </div>
          <div class="funnel-meta">
            {r.fromPrevious !== null && (
              <span>
                {formatPercent(r.fromPrevious)} <span class="muted">from previous</span>
              </span>
            )}
            {r.detail}
          </div>
        </li>
      ))}
    </ol>
  )
}
