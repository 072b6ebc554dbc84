/**
 * The §7.8 series, one chart per metric, each with its warning and critical lines from the
 * site's thresholds. Hours or days as the API chose; hours without attempts are bridged.
 */
import { useMemo } from 'preact/hooks'
import type { PerformanceResponse, SeriesPoint } from '../api/types'
import { formatMs, formatPercent } from '../lib/format'
import { thresholdLines } from '../lib/health'
import { Section } from './bits'
import { Empty } from './states'
import { TimeSeries } from './time-series'

type Chart = {
  title: string
  metric: 'connection_success_rate' | 'connection_latency_p95_ms' | 'error_rate'
  format: (v: number) => string
}

const CHARTS: Chart[] = [
  { title: 'Connection success', metric: 'connection_success_rate', format: formatPercent },
  { title: 'Connection latency p95', metric: 'connection_latency_p95_ms', format: formatMs },
  { title: 'Error rate', metric: 'error_rate', format: formatPercent },
]

export function PerformanceCharts({ data: d }: { data: PerformanceResponse }) {
  const x = useMemo(() => d.series.map((p) => Date.parse(p.t) / 1000), [d.series])
  const charts = useMemo(
    () =>
      CHARTS.map((c) => ({
        ...c,
        series: [
          {
            label: c.title,
            values: d.series.map((p: SeriesPoint) => p[c.metric]),
            spanGaps: true,
          },
        ],
        thresholds: thresholdLines(c.metric, d.thresholds[c.metric]),
      })),
    [d.series, d.thresholds],
  )
  const unit = d.granularity === 'hour' ? 'hour' : 'day'
  return (
    <div class="grid charts">
      {charts.map((c) => (
        <Section key={c.metric} title={c.title}>
          {x.length > 1 && c.series[0].values.some((v) => v !== null) ? (
            <TimeSeries
              x={x}
              series={c.series}
              thresholds={c.thresholds}
              granularity={d.granularity}
              height={200}
              label={`${c.title} per ${unit}, ${x.length} ${unit}s, with warning and critical lines`}
              format={c.format}
            />
          ) : (
            <Empty>Nothing to chart in this period.</Empty>
          )}
        </Section>
      ))}
    </div>
  )
}
