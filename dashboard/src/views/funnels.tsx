/** Funnels: build a funnel from any event types, see each step's conversion and time to convert. */
import type { FunnelRequest, FunnelStepResult } from '../api/types'
import { Section } from '../components/bits'
import { FunnelBars } from '../components/funnel-bars'
import { Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatDuration, formatPercent } from '../lib/format'
import {
  decodeFunnel,
  describeStep,
  encodeFunnel,
  funnelBody,
  type FunnelDef,
} from '../state/funnel-def'
import { FunnelBuilder } from './funnel-builder'

export default function Funnels() {
  const { state, query, navigate } = useSite()
  const def = decodeFunnel(state.params.funnel)
  // A stage typed into a shared link is the API's to refuse: its 400 is shown as the answer.
  const json = funnelBody(def) as FunnelRequest['json']
  const res = useApi([json, query], (s, o) =>
    s.api.funnel.$post({ param: s.param, query, json }, o),
  )
  const apply = (next: FunnelDef) =>
    navigate({ ...state, params: { ...state.params, funnel: encodeFunnel(next) } })

  return (
    <>
      <div class="page-head">
        <h1>Funnels</h1>
        <p class="muted">
          How many {def.by === 'user' ? 'people' : 'sessions'} go through these steps within{' '}
          {def.window}.
        </p>
      </div>
      <Section title="Steps">
        <FunnelBuilder value={def} onApply={apply} />
      </Section>
      <Section title="Conversion">
        <Loaded
          res={res}
          isEmpty={(d) => !d.steps.length || d.steps[0].count === 0}
          emptyText="Nobody did the first step in this period. Try a longer period or another first step."
        >
          {(d) => (
            <>
              <FunnelResult steps={d.steps} label="Funnel conversion" />
              {d.truncated && (
                <p class="form-error">
                  This period has more events than one funnel query reads; the numbers cover the
                  first {formatCount(d.events_scanned)}. Choose a shorter period.
                </p>
              )}
              <p class="muted small">
                Overall conversion{' '}
                <strong>{formatPercent(d.steps[d.steps.length - 1].conversion_from_start)}</strong>{' '}
                from {formatCount(d.steps[0].count)} who started.
              </p>
            </>
          )}
        </Loaded>
      </Section>
      {res.status === 'ok' && res.data.breakdown && (
        <Section title={`By ${res.data.breakdown.property}`}>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{res.data.breakdown.property}</th>
                  {def.steps.map((s, i) => (
                    <th key={i} scope="col" class="num" title={describeStep(s)}>
                      Step {i + 1}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    Conversion
                  </th>
                </tr>
              </thead>
              <tbody>
                {res.data.breakdown.values.map((v) => (
                  <tr key={String(v.value)}>
                    <td class="break">{v.value ?? '(none)'}</td>
                    {v.steps.map((s) => (
                      <td key={s.index} class="num">
                        {formatCount(s.count)}
                      </td>
                    ))}
                    <td class="num">
                      {formatPercent(v.steps[v.steps.length - 1]?.conversion_from_start)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      )}
    </>
  )
}

function FunnelResult({ steps, label }: { steps: FunnelStepResult[]; label: string }) {
  return (
    <FunnelBars
      label={label}
      rows={steps.map((s) => ({
        key: String(s.index),
        label: describeStep(s.definition),
        count: s.count,
        fromStart: s.conversion_from_start,
        fromPrevious: s.index > 1 ? s.conversion_from_previous : null,
        detail:
          s.index > 1 ? (
            <span>
              {formatDuration(s.median_time_to_convert_s)}{' '}
              <span class="muted">median time to convert</span>
            </span>
          ) : undefined,
      }))}
    />
  )
}
