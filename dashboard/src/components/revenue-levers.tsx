/** The revenue levers (GET …/revenue/recommendations), largest monthly value first. */
import type { Lever } from '../../../worker/analysis/revenue/recommendations'
import { formatMoney, humanize } from '../lib/format'
import { leverEvidenceLines } from '../lib/revenue'

const KIND_LABEL: Record<Lever['kind'], string> = {
  feature_upsell: 'Feature upsell',
  institution_failures: 'Institution failures',
  tier_churn: 'Tier churn',
}

export function RevenueLevers({ levers, currency }: { levers: Lever[]; currency: string }) {
  return (
    <ol class="cards levers">
      {levers.map((l, i) => (
        <li key={l.id}>
          <article class="card lever" aria-labelledby={`lever-${l.id}`}>
            <div class="card-head">
              <span class="rank" aria-label={`Rank ${i + 1}`}>
                #{i + 1}
              </span>
              <h3 id={`lever-${l.id}`} class="break">
                {l.title}
              </h3>
            </div>
            <div class="chips">
              <span class="chip">{KIND_LABEL[l.kind] ?? humanize(l.kind)}</span>
              <span class="chip lever-value">{formatMoney(l.monthly_value, currency)} / month</span>
            </div>
            <p class="lever-sentence break">{l.sentence}</p>
            <details class="evidence">
              <summary>Evidence</summary>
              <dl class="facts">
                {leverEvidenceLines(l.evidence, currency).map((e) => (
                  <div key={e.key}>
                    <dt>{e.label}</dt>
                    <dd class="break">{e.value}</dd>
                  </div>
                ))}
              </dl>
            </details>
          </article>
        </li>
      ))}
    </ol>
  )
}
