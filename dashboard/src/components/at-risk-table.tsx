/**
 * Users most likely to churn (DESIGN §7.10), in the order the API ranks them: churn
 * probability, risk, engagement, the factor that moves their prediction most, and the revenue
 * at risk (probability × their MRR now). A uid is a button that opens the user's drawer. The
 * columns do not sort: a page is a slice of the API's ranking, sorting it would mislead.
 */
import type { AtRiskUser, Risk } from '../api/types'
import { factorLabel, formatContribution } from '../lib/churn-factors'
import { formatMoney, formatPercent, formatScore, humanize, NONE } from '../lib/format'
import type { Tone } from '../lib/health'
import { SortableTable } from './sortable-table'
import { StatusBadge } from './status-badge'

const RISK_TONE: Record<Risk, Tone> = { high: 'critical', medium: 'high', low: 'low' }

export function RiskBadge({ risk }: { risk: Risk }) {
  return <StatusBadge tone={RISK_TONE[risk] ?? 'low'}>{humanize(risk)}</StatusBadge>
}

export type Pager = {
  /** The first row's place in the ranking, from 0. */
  offset: number
  onPrevious: (() => void) | null
  onNext: (() => void) | null
}

type Props = {
  rows: readonly AtRiskUser[]
  currency: string
  onOpen: (uid: string) => void
  pager: Pager
}

export function AtRiskTable({ rows, currency, onOpen, pager }: Props) {
  const money = (x: number | null) => formatMoney(x, currency)
  return (
    <div class="at-risk">
      <SortableTable
        rows={rows}
        rowKey={(r) => r.uid}
        defaultSort={{ key: 'rank', desc: false }}
        caption="Users by churn probability"
        columns={[
          {
            key: 'uid',
            label: 'User',
            cell: (r) => (
              <button type="button" class="link-button" onClick={() => onOpen(r.uid)}>
                {r.uid}
              </button>
            ),
          },
          { key: 'tier', label: 'Tier', cell: (r) => r.tier ?? NONE },
          {
            key: 'p',
            label: 'Churn probability',
            numeric: true,
            cell: (r) => formatPercent(r.churn_probability),
          },
          {
            key: 'risk',
            label: 'Risk',
            cell: (r) => (r.risk ? <RiskBadge risk={r.risk} /> : NONE),
          },
          {
            key: 'engagement',
            label: 'Engagement',
            numeric: true,
            title: 'Engagement score 0–100',
            cell: (r) => formatScore(r.engagement),
          },
          {
            key: 'factor',
            label: 'Top factor',
            title: 'The factor that moves this prediction most, in log-odds',
            cell: (r) =>
              r.top_factor
                ? `${factorLabel(r.top_factor.feature)} ${formatContribution(r.top_factor.contribution)}`
                : NONE,
          },
          { key: 'mrr', label: 'MRR', numeric: true, cell: (r) => money(r.mrr) },
          {
            key: 'at_risk',
            label: 'Revenue at risk',
            numeric: true,
            title: 'Churn probability × MRR now, a month',
            cell: (r) => money(r.revenue_at_risk),
          },
        ]}
      />
      <div class="pager">
        <button type="button" disabled={!pager.onPrevious} onClick={pager.onPrevious ?? undefined}>
          Previous
        </button>
        <span class="muted">
          {pager.offset + 1}–{pager.offset + rows.length}
        </span>
        <button type="button" disabled={!pager.onNext} onClick={pager.onNext ?? undefined}>
          Next
        </button>
      </div>
    </div>
  )
}
