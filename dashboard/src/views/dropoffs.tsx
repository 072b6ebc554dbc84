/** Drop-offs: the seven drop-off types, then every point, worst first, with reasons. */
import { DROPOFF_TYPES } from '../../../worker/wire-lists'
import type { DropoffsResponse, DropoffType } from '../api/types'
import { Badge, Section } from '../components/bits'
import { DropoffTable, Reasons } from '../components/dropoff-table'
import { ParamSelect } from '../components/param-select'
import { Empty, Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatMoney, formatPercent, humanize } from '../lib/format'

export default function Dropoffs() {
  const { state, query, config } = useSite()
  const q = { ...query, limit: '200' }
  const res = useApi(q, (s, o) => s.api.dropoffs.$get({ param: s.param, query: q }, o))
  const type = DROPOFF_TYPES.find((t) => t === state.params.type)

  return (
    <>
      <div class="page-head">
        <h1>Drop-offs</h1>
        <p class="muted">Where people give up, why, and what it costs each month.</p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => !Object.values(d.types).some((t) => t.entered > 0)}
        emptyText="No workflow runs or feature uses in this period."
      >
        {(d) => (
          <>
            <Section title="By type">
              <TypeTable types={d.types} currency={config.currency} />
            </Section>
            <Section
              title="Drop-off points"
              aside={
                <ParamSelect
                  param="type"
                  label="Type"
                  value={type ?? ''}
                  options={[
                    { value: '', label: 'all types' },
                    ...DROPOFF_TYPES.map((t) => ({ value: t, label: humanize(t) })),
                  ]}
                />
              }
            >
              {d.points.some((p) => !type || p.type === type) ? (
                <DropoffTable
                  points={d.points.filter((p) => !type || p.type === type)}
                  currency={config.currency}
                />
              ) : (
                <Empty>
                  Nobody dropped off {type ? `at a ${humanize(type).toLowerCase()} point` : ''} in
                  this period.
                </Empty>
              )}
            </Section>
          </>
        )}
      </Loaded>
    </>
  )
}

function TypeTable(props: { types: DropoffsResponse['types']; currency: string }) {
  const rows = DROPOFF_TYPES.map((t) => [t, props.types[t]] as const).filter(([, s]) => s)
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Priority</th>
            <th scope="col" class="num">
              Entered
            </th>
            <th scope="col" class="num">
              Dropped
            </th>
            <th scope="col" class="num">
              Drop rate
            </th>
            <th scope="col">Reasons</th>
            <th scope="col" class="num">
              Revenue at risk
            </th>
            <th scope="col" class="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([type, s]) => (
            <tr key={type} class={s.entered ? undefined : 'muted'}>
              <td>{humanize(type as DropoffType)}</td>
              <td>{s.entered ? <Badge level={s.priority} /> : '–'}</td>
              <td class="num">{formatCount(s.entered)}</td>
              <td class="num">{formatCount(s.dropped)}</td>
              <td class="num">{formatPercent(s.drop_rate)}</td>
              <td>
                <Reasons reasons={s.common_reasons} />
              </td>
              <td class="num">{formatMoney(s.revenue_at_risk, props.currency)}</td>
              <td class="num">{formatCount(s.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
