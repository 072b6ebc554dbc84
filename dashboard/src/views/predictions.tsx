/**
 * Predictions (DESIGN §7.10): the churn model's card in words, the users most likely to churn
 * with what drives it and what it would cost (a drawer per user), the revenue and MRR forecast
 * with its bands, and the institutions heading for a threshold. Every number says how good it
 * is; without a trained model the card gives the reason and nobody gets a probability.
 */
import { useCallback, useState } from 'preact/hooks'
import type { ChurnModelCard, Risk } from '../api/types'
import { AtRiskTable } from '../components/at-risk-table'
import { Section } from '../components/bits'
import { ForecastCharts, ThresholdHeadings } from '../components/forecast-panel'
import { ParamSelect } from '../components/param-select'
import { Loaded } from '../components/states'
import { UserDrawer } from '../components/user-drawer'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { humanize } from '../lib/format'
import { modelCardWords } from '../lib/model-card'

const RISKS: readonly Risk[] = ['high', 'medium', 'low']
const PAGE = 25

export default function Predictions() {
  const { state } = useSite()
  const card = useApi({}, (s, o) => s.api.models.churn.$get({ param: s.param }, o))
  const forecast = useApi({}, (s, o) => s.api.forecast.$get({ param: s.param, query: {} }, o))
  const risk = RISKS.find((r) => r === state.params.risk)
  return (
    <>
      <div class="page-head">
        <h1>Predictions</h1>
        <p class="muted">
          Who is likely to churn and why, and where revenue and bank connections are heading. The
          model and the forecasts read the site's whole history, so the period does not apply; the
          tier narrows the users at risk.
        </p>
      </div>
      <Section title="Churn model">
        <Loaded res={card}>{(c) => <ModelCard card={c} />}</Loaded>
      </Section>
      <Section
        title="Users at risk"
        aside={
          <ParamSelect
            param="risk"
            label="Risk"
            value={risk ?? ''}
            options={[
              { value: '', label: 'Any risk' },
              ...RISKS.map((r) => ({ value: r, label: humanize(r) })),
            ]}
          />
        }
      >
        {/* A new filter starts again at the first page. */}
        <AtRisk key={`${state.tier ?? ''}|${risk ?? ''}`} tier={state.tier} risk={risk} />
      </Section>
      <Section title="Revenue forecast">
        <Loaded res={forecast}>{(f) => <ForecastCharts f={f} />}</Loaded>
      </Section>
      <Section title="Institutions heading for a threshold">
        <Loaded res={forecast}>{(f) => <ThresholdHeadings f={f} />}</Loaded>
      </Section>
    </>
  )
}

function ModelCard({ card }: { card: ChurnModelCard }) {
  const w = modelCardWords(card)
  if (w.status !== 'ok') {
    return (
      <p class="model-card insufficient">
        <strong>{w.headline}</strong> {w.reason}.
      </p>
    )
  }
  return (
    <div class="model-card">
      <p class="model-headline">{w.headline}</p>
      <p class="muted">{w.basis}</p>
      <div class="kpis model-facts">
        {w.facts.map((f) => (
          <div key={f.label} class="kpi metric" title={f.hint} tabIndex={0}>
            <div class="kpi-label">{f.label}</div>
            <div class="kpi-value small">{f.value}</div>
          </div>
        ))}
      </div>
    </div>
  )
}

function AtRisk({ tier, risk }: { tier?: string; risk?: Risk }) {
  // The cursors of the pages before this one, so Previous goes back without a reverse query.
  const [cursors, setCursors] = useState<string[]>([])
  const [open, setOpen] = useState<string | null>(null)
  const close = useCallback(() => setOpen(null), [])
  const cursor = cursors.at(-1)
  const q = { limit: String(PAGE), tier, risk, cursor }
  const res = useApi(q, (s, o) => s.api.users['at-risk'].$get({ param: s.param, query: q }, o))
  // The uid stays out of the URL: it would land in the browser's history.
  const insights = useApi(open === null ? null : { uid: open }, (s, o) =>
    s.api.users[':uid'].insights.$get({ param: { ...s.param, uid: encodeURIComponent(open!) } }, o),
  )
  return (
    <>
      <Loaded
        res={res}
        isEmpty={(d) => d.status !== 'ok' || !d.users.length}
        emptyText={
          res.data?.status !== 'ok'
            ? `No user has a churn probability: ${res.data?.reason}.`
            : `No user${risk ? ` at ${risk} risk` : ''}${tier ? ` on the ${tier} tier` : ''}.`
        }
      >
        {(d) => (
          <AtRiskTable
            rows={d.users}
            currency={d.currency}
            onOpen={setOpen}
            pager={{
              offset: cursors.length * PAGE,
              onPrevious: cursors.length ? () => setCursors((c) => c.slice(0, -1)) : null,
              onNext: d.next_cursor ? () => setCursors((c) => [...c, d.next_cursor!]) : null,
            }}
          />
        )}
      </Loaded>
      {open !== null && <UserDrawer uid={open} res={insights} onClose={close} />}
    </>
  )
}
