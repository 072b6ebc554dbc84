/**
 * Where connection attempts ended (DESIGN §7.8 error split): one stacked bar of the successes
 * and each error source's failures, which sum to 1. Widths go through CSSOM (the CSP allows
 * it); the shares are also the bar's accessible name and tooltip.
 */
import { SPLIT_LABEL, SPLIT_PARTS, splitText, type Split } from '../lib/performance'

export function ErrorSplitBar({ split }: { split: Split }) {
  const text = splitText(split)
  return (
    <span class="stack split" role="img" aria-label={`Attempts: ${text}`} title={text}>
      {SPLIT_PARTS.map((p) =>
        split[p] > 0 ? (
          <span
            key={p}
            class={`stack-part split-${p}`}
            style={{ width: `${(split[p] * 100).toFixed(2)}%` }}
          />
        ) : null,
      )}
    </span>
  )
}

export function ErrorSplitLegend() {
  return (
    <span class="legend" aria-label="Error split legend">
      {SPLIT_PARTS.map((p) => (
        <span key={p} class="legend-item">
          <span class={`swatch split-${p}`} aria-hidden="true" />
          {SPLIT_LABEL[p]}
        </span>
      ))}
    </span>
  )
}
