/** A rate with its 95% Wilson interval beside it, muted: "70.3% 56.8–78.5%". */
import type { RateStat } from '../api/types'
import { formatInterval, formatPercent } from '../lib/format'

export function RateCell({ rate }: { rate: RateStat | null | undefined }) {
  if (!rate || rate.value === null) return <>–</>
  return (
    <>
      {formatPercent(rate.value)}{' '}
      <span class="muted interval" title={`95% interval, n = ${rate.n}`}>
        {formatInterval(rate.interval)}
      </span>
    </>
  )
}
