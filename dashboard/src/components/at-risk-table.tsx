/**
 * Users most likely to churn (DESIGN §7.10), in the order the API ranks them: churn
 * probability, risk, engagement, the factor that pushes hardest towards churn, and the revenue
 * at risk. A uid is a button that opens the user's drawer. Paging is the caller's: Previous and
 * Next move `offset` by the page size.
 */
import { formatMoney, formatPercent, formatScore, humanize, NONE } from '../lib/format'
import { formatContribution, type Factor } from '../lib/churn-factors'
import { StatusBadge } from './status-badge'
import type { Tone } from '../lib/health'

export type Risk = 'high' | 'medium' | 'low'

export type AtRiskRow = {
  uid: string
  tier: string | null
  churn_probability: number
  risk: Risk
  engagement_score: number | null
  top_factor: Factor | null
  revenue_at_risk: number | null
}

const RISK_TONE: Record<Risk, Tone> = { high: 'critical', medium: 'high', low: 'low' }

export function RiskBadge({ risk }: { risk: Risk }) {
  return <StatusBadge tone={RISK_TONE[risk] ?? 'low'}>{humanize(risk)}</StatusBadge>
}

type Props = {
  rows: readonly AtRiskRow[]
  currency: string
  onOpen: (uid: string) => void
  page: { offset: number; limit: number; hasMore: boolean }
  onPage: (offset: number) => void
}

export function AtRiskTable({ rows, currency, onOpen, page, onPage }: Props) {
  return (
    <div class="at-risk">
      <div class="table-wrap">
        <table data-testid="at-risk-table">
          <thead>
            <tr>
              <th>User</th>
              <th>Tier</th>
              <th class="num">Churn probability</th>
              <th>Risk</th>
              <th class="num">Engagement</th>
              <th title="The factor that adds most to this user's churn score (log-odds)">
                Top factor
              </th>
              <th class="num" title="Monthly revenue the user pays now">
                Revenue at risk
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.uid} data-uid={r.uid}>
                <td>
                  <button type="button" class="link-button" onClick={() => onOpen(r.uid)}>
                    {r.uid}
                  </button>
                </td>
                <td>{r.tier ?? NONE}</td>
                <td class="num">{formatPercent(r.churn_probability)}</td>
                <td>
                  <RiskBadge risk={r.risk} />
                </td>
                <td class="num">{formatScore(r.engagement_score)}</td>
                <td>
                  {r.top_factor
                    ? `${humanize(r.top_factor.feature)} (${formatContribution(r.top_factor.contribution)})`
                    : NONE}
                </td>
                <td class="num">{formatMoney(r.revenue_at_risk, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <button
          type="button"
          disabled={page.offset === 0}
          onClick={() => onPage(Math.max(0, page.offset - page.limit))}
        >
          Previous
        </button>
        <span class="muted">
          {rows.length
            ? `${page.offset + 1}–${page.offset + rows.length}`
            : 'No users on this page'}
        </span>
        <button
          type="button"
          disabled={!page.hasMore}
          onClick={() => onPage(page.offset + page.limit)}
        >
          Next
        </button>
      </div>
    </div>
  )
}
