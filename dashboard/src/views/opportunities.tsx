/**
 * Opportunities: what to fix first. The top ones (priority and confidence over the API's
 * cut-off) as full cards, the rest grouped by kind and collapsed, `?kind=` to see one kind.
 * The header total counts each lost user once; every ROI states the costs it assumes.
 */
import type { OpportunitiesResponse } from '../api/types'
import { Kpi } from '../components/bits'
import { OpportunityCard } from '../components/opportunity-card'
import { ParamSelect } from '../components/param-select'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatMoney, formatNumber, formatPercent, humanize } from '../lib/format'
import { layoutOpportunities } from '../lib/opportunity-groups'

function CostAssumptions({ d }: { d: OpportunitiesResponse }) {
  const c = d.cost_assumptions
  const given = c.from_config.engineer_week_cost || c.from_config.effort_costs.length > 0
  return (
    <p class="cost-assumptions muted">
      ROI = potential revenue × 12 / effort cost, with low, medium and high effort at{' '}
      {formatNumber(c.effort_costs.low, 1)}, {formatNumber(c.effort_costs.medium, 1)} and{' '}
      {formatNumber(c.effort_costs.high, 1)} engineer-weeks of{' '}
      {formatMoney(c.engineer_week_cost, c.currency)} each (
      {given ? 'from site config' : 'defaults'}: <code>effort_costs</code>,{' '}
      <code>engineer_week_cost</code>).
    </p>
  )
}

export default function Opportunities() {
  const { query, config, state } = useSite()
  const q = { ...query, limit: '100' }
  const res = useApi(q, (s, o) => s.api.opportunities.$get({ param: s.param, query: q }, o))
  const kind = state.params.kind ?? ''

  return (
    <>
      <div class="page-head">
        <h1>Opportunities</h1>
        <p class="muted">Ranked by priority: business impact × confidence × effort.</p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => !d.opportunities.length}
        emptyText="Nothing stands out in this period: no drop-off, slow step, failing bank or upsell gap above its benchmark."
      >
        {(d) => {
          const { kinds, top, groups } = layoutOpportunities(d.opportunities, kind)
          const filtered = Boolean(kind && kinds.has(kind))
          const rule = d.top_rule
          return (
            <>
              <div class="kpis">
                <Kpi label="Opportunities" value={formatCount(d.opportunities.length)} />
                <Kpi
                  label="Potential revenue / month"
                  value={formatMoney(d.total.revenue_per_month, config.currency)}
                  hint={`if every fix lands, each lost user counted once (the plain sum would say ${formatMoney(d.total.gross_revenue_per_month, config.currency)})`}
                />
                <Kpi
                  label="Potential users / month"
                  value={formatNumber(d.total.users_per_month, 0)}
                  hint="kept from dropping, failing or churning, or upgraded; each once"
                />
              </div>
              <CostAssumptions d={d} />
              <div class="builder-row view-controls">
                <ParamSelect
                  param="kind"
                  label="Kind"
                  value={filtered ? kind : ''}
                  options={[
                    { value: '', label: 'All kinds' },
                    ...[...kinds].map(([k, n]) => ({ value: k, label: `${humanize(k)} (${n})` })),
                  ]}
                />
              </div>
              {!filtered && (
                <p class="cut-off muted">
                  {top.length
                    ? `The top ${top.length}: priority ≥ ${rule.min_priority_score} and confidence ≥ ${formatPercent(rule.min_confidence, 0)}, at most ${rule.max}.`
                    : `None reaches priority ${rule.min_priority_score} with confidence ${formatPercent(rule.min_confidence, 0)}; every opportunity is in the groups below.`}
                </p>
              )}
              {top.length > 0 && (
                <ol
                  class="cards top-opportunities"
                  aria-label={
                    filtered
                      ? `${humanize(kind)} opportunities, highest priority first`
                      : 'Top opportunities, highest priority first'
                  }
                >
                  {top.map(({ op, rank }, i) => (
                    <li key={op.id}>
                      <OpportunityCard
                        op={op}
                        rank={rank}
                        currency={config.currency}
                        open={i < 3}
                      />
                    </li>
                  ))}
                </ol>
              )}
              {groups.length > 0 && (
                <div class="opportunity-groups">
                  <h2>
                    The other {formatCount(groups.reduce((s, g) => s + g.items.length, 0))}, by kind
                  </h2>
                  {groups.map((g) => (
                    <details class="opportunity-group" key={g.kind} data-kind={g.kind}>
                      <summary>
                        {humanize(g.kind)}: {formatCount(g.items.length)}, best #{g.items[0].rank}
                        {g.revenue_per_month > 0 &&
                          `, up to ${formatMoney(g.revenue_per_month, config.currency)} / month`}
                      </summary>
                      <ol class="cards" aria-label={`${humanize(g.kind)} opportunities`}>
                        {g.items.map(({ op, rank }) => (
                          <li key={op.id}>
                            <OpportunityCard
                              op={op}
                              rank={rank}
                              currency={config.currency}
                              open={false}
                            />
                          </li>
                        ))}
                      </ol>
                    </details>
                  ))}
                </div>
              )}
            </>
          )
        }}
      </Loaded>
    </>
  )
}
