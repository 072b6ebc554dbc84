/** One ranked opportunity: what, the numbers behind it, what fixing it is worth, what to do. */
import type { Opportunity } from '../api/types'
import { evidenceLines } from '../lib/evidence'
import { formatMoney, formatNumber, formatPercent, formatScore, humanize } from '../lib/format'
import { Badge } from './bits'

const EFFORT_TONE = { low: 'low', medium: 'medium', high: 'high' } as const

type Props = {
  op: Omit<Opportunity, 'top'>
  rank: number
  currency: string
  compact?: boolean
  /** Evidence open at first (the top cards). */
  open?: boolean
}

/** "Shares 52% of its lost users with #1" — the others that count some of the same people. */
function Overlaps({ op }: { op: Props['op'] }) {
  if (!op.overlaps.length) return null
  return (
    <p class="overlaps muted">
      Shares{' '}
      {op.overlaps.map((o, i) => (
        <span key={o.id}>
          {i > 0 && (i === op.overlaps.length - 1 ? ' and ' : ', ')}
          {formatPercent(o.share, 0)} of its lost users with <a href={`#op-${o.id}`}>#{o.rank}</a>
        </span>
      ))}
      ; each is counted once, in the total and in the more specific one.
    </p>
  )
}

export function OpportunityCard({ op, rank, currency, compact, open }: Props) {
  const potential = op.improvement_potential
  const shared = potential.gross_revenue_per_month - potential.revenue_per_month
  return (
    <article class="card opportunity" aria-labelledby={`op-${op.id}`}>
      <div class="card-head">
        <span class="rank" aria-label={`Rank ${rank}`}>
          #{rank}
        </span>
        <h3 id={`op-${op.id}`} class="break">
          {op.title}
        </h3>
      </div>
      <div class="chips">
        <span class="chip">{humanize(op.kind)}</span>
        <Badge level={EFFORT_TONE[op.effort]}>{op.effort} effort</Badge>
        <span class="chip">priority {formatScore(op.priority_score)}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>Potential users / month</dt>
          <dd>{formatNumber(potential.users_per_month, 1)}</dd>
        </div>
        <div>
          <dt>Potential revenue / month</dt>
          <dd>
            {formatMoney(potential.revenue_per_month, currency)}
            {shared >= 0.01 && (
              <span class="muted small">
                {' '}
                (of {formatMoney(potential.gross_revenue_per_month, currency)}; the rest is counted
                with a more specific opportunity)
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>ROI (12 months)</dt>
          <dd class="roi">
            {potential.revenue_per_month > 0 ? `${formatNumber(op.roi, 1)}×` : 'no revenue'} on{' '}
            {formatNumber(op.cost.engineer_weeks, 1)} engineer-weeks (
            {formatMoney(op.cost.amount, currency)})
          </dd>
        </div>
        {!compact && (
          <>
            <div>
              <dt>Business impact</dt>
              <dd>{formatScore(op.business_impact)} / 100</dd>
            </div>
            <div>
              <dt>Confidence</dt>
              <dd>{formatPercent(op.confidence)}</dd>
            </div>
          </>
        )}
      </dl>
      {op.benchmark && (
        <p class="benchmark muted break">
          Benchmark {formatPercent(op.benchmark.rate)}: {op.benchmark.source}
          {op.benchmark.n !== null && ` (n = ${op.benchmark.n.toLocaleString('en-US')})`}
        </p>
      )}
      <Overlaps op={op} />
      {!compact && (
        <details class="evidence" open={open ?? rank <= 3}>
          <summary>Evidence</summary>
          <dl class="facts">
            {evidenceLines(op.evidence, currency).map((l) => (
              <div key={l.key}>
                <dt>{l.label}</dt>
                <dd>{l.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <p class="recommendation break">{op.recommendation}</p>
    </article>
  )
}
