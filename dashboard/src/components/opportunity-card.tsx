/** One ranked opportunity: what, the numbers behind it, what fixing it is worth, what to do. */
import type { Opportunity } from '../api/types'
import { evidenceLines } from '../lib/evidence'
import { formatMoney, formatNumber, formatPercent, formatScore, humanize } from '../lib/format'
import { Badge } from './bits'

const EFFORT_TONE = { low: 'low', medium: 'medium', high: 'high' } as const

type Props = { op: Opportunity; rank: number; currency: string; compact?: boolean }

export function OpportunityCard({ op, rank, currency, compact }: Props) {
  const potential = op.improvement_potential
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
          <dd>{formatMoney(potential.revenue_per_month, currency)}</dd>
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
      {!compact && (
        <details class="evidence" open={rank <= 3}>
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
