/**
 * Journeys: how far people got through the lifecycle stages — a Sankey over the same people as
 * the stage table (a stage's node is its Reached), each stage's reach and conversion, the
 * moves back between stages, the conversion points, and where journeys stall.
 */
import { STAGES } from '../../../worker/wire-lists'
import type { JourneysResponse } from '../api/types'
import { Bar, Kpi, Section } from '../components/bits'
import { ParamSelect } from '../components/param-select'
import { Sankey } from '../components/sankey'
import { Empty, Loaded } from '../components/states'
import { useApi } from '../hooks/use-api'
import { useSite } from '../hooks/use-site'
import { formatCount, formatDuration, formatPercent, humanize } from '../lib/format'
import { flowInput, sankeyInput } from '../lib/sankey-data'

export default function Journeys() {
  const { state, query } = useSite()
  const journey = state.params.journey
  const q = { ...query, journey }
  const res = useApi(q, (s, o) => s.api.journeys.$get({ param: s.param, query: q }, o))

  return (
    <>
      <div class="page-head">
        <h1>Journeys</h1>
        <p class="muted">Lifecycle stages, from awareness to advocacy, and where people leave.</p>
      </div>
      <Loaded
        res={res}
        isEmpty={(d) => d.entered === 0}
        emptyText="No stage events in this period. The tracker sends them with sw('stage', …)."
      >
        {(d) => <JourneyReport data={d} />}
      </Loaded>
    </>
  )
}

function JourneyReport({ data: d }: { data: JourneysResponse }) {
  const input = flowInput(d.flow, d.stages)
  const backward = sankeyInput(d.transitions, STAGES).backward
  const first = d.stages[0]?.reached || 1
  return (
    <>
      {d.journeys.length > 1 && (
        <div class="builder-row view-controls">
          <ParamSelect param="journey" label="Journey" value={d.journey} options={d.journeys} />
        </div>
      )}
      <div class="kpis">
        <Kpi label="People in the journey" value={formatCount(d.entered)} />
        <Kpi
          label={`Reached ${humanize(d.success_stage).toLowerCase()}`}
          value={formatCount(d.succeeded)}
          hint="and did not churn"
        />
        <Kpi label="Success rate" value={formatPercent(d.success_rate)} />
        <Kpi
          label="Churned"
          value={formatCount(d.stages.find((s) => s.stage === 'churn')?.current ?? 0)}
        />
      </div>
      <Section
        title="How far people got"
        aside="Each stage: the people who reached it or a later one, as Reached in the table"
      >
        {input.links.length ? (
          <Sankey input={input} label="Sankey diagram of how far people got through the stages" />
        ) : (
          <Empty>Nobody got past the first stage in this period.</Empty>
        )}
        <p class="muted small">
          A band is the people who went on to the next stage (or churned from their furthest); the
          rest of a stage stopped there. Someone first seen at a later stage counts as having
          reached the earlier ones, as in the table.
        </p>
        {backward.length > 0 && (
          <p class="muted small">
            Moves back between stage events, not drawn:{' '}
            {backward
              .slice(0, 5)
              .map((t) => `${humanize(t.from)} → ${humanize(t.to)} (${formatCount(t.count)})`)
              .join(', ')}
            {backward.length > 5 ? ', …' : ''}
          </p>
        )}
      </Section>
      <div class="grid">
        <Section title="Stages">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th
                    scope="col"
                    class="num"
                    title="People who stood at this stage or a later one in the period"
                  >
                    Reached
                  </th>
                  <th scope="col" class="num">
                    Now here
                  </th>
                  <th scope="col" class="num">
                    To next
                  </th>
                  <th scope="col" class="num" title="Median time from first seen">
                    Median time
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.stages.map((s) => (
                  <tr key={s.stage}>
                    <td>
                      {humanize(s.stage)}
                      <Bar
                        share={s.reached / first}
                        tone={s.stage === 'churn' ? 'bad' : 'accent'}
                        label={`${formatCount(s.reached)} reached`}
                      />
                    </td>
                    <td class="num">{formatCount(s.reached)}</td>
                    <td class="num">{formatCount(s.current)}</td>
                    <td class="num">{formatPercent(s.conversion_to_next)}</td>
                    <td class="num">{formatDuration(s.median_time_to_reach_s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
        <Section title="Conversion points">
          {d.conversion_points.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Conversion</th>
                    <th scope="col" class="num">
                      People
                    </th>
                    <th scope="col" class="num">
                      Rate
                    </th>
                    <th scope="col" class="num" title="Median time from first seen">
                      Median time
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.conversion_points.map((c) => (
                    <tr key={c.name}>
                      <td class="break">{humanize(c.name)}</td>
                      <td class="num">{formatCount(c.users)}</td>
                      <td class="num">{formatPercent(c.rate)}</td>
                      <td class="num">{formatDuration(c.median_time_from_first_seen_s)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty>No conversions in this period.</Empty>
          )}
        </Section>
      </div>
      <Section
        title="Where journeys stall"
        aside={`Inactive ${d.inactive_days} days, or churned from the stage`}
      >
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" class="num">
                  Inactive
                </th>
                <th scope="col" class="num">
                  Churned
                </th>
                <th scope="col" class="num">
                  Dropped
                </th>
                <th scope="col" class="num">
                  Drop rate
                </th>
              </tr>
            </thead>
            <tbody>
              {d.dropoffs.map((s) => (
                <tr key={s.stage}>
                  <td>{humanize(s.stage)}</td>
                  <td class="num">{formatCount(s.inactive)}</td>
                  <td class="num">{formatCount(s.churned)}</td>
                  <td class="num">{formatCount(s.dropped)}</td>
                  <td class="num">{formatPercent(s.drop_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      {d.truncated && (
        <p class="form-error">This period holds more events than one query reads; shorten it.</p>
      )}
    </>
  )
}
