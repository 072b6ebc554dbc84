/** Opportunities: ranked cards — what to fix first, the evidence, and what it is worth. */
import { Kpi } from '../components/bits'
import { OpportunityCard } from '../components/opportunity-card'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatMoney } from '../lib/format'

export default function Opportunities() {
  const { query, config } = useSite()
  const q = { ...query, limit: '50' }
  const res = useApi(q, (s, o) => s.api.opportunities.$get({ param: s.param, query: q }, o))

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
        {(d) => (
          <>
            <div class="kpis">
              <Kpi label="Opportunities" value={formatCount(d.opportunities.length)} />
              <Kpi
                label="Potential revenue / month"
                value={formatMoney(
                  d.opportunities.reduce(
                    (s, o) => s + o.improvement_potential.revenue_per_month,
                    0,
                  ),
                  config.currency,
                )}
                hint="if every one reached its benchmark"
              />
            </div>
            <ol class="cards" aria-label="Opportunities, highest priority first">
              {d.opportunities.map((op, i) => (
                <li key={op.id}>
                  <OpportunityCard op={op} rank={i + 1} currency={config.currency} />
                </li>
              ))}
            </ol>
          </>
        )}
      </Loaded>
    </>
  )
}
