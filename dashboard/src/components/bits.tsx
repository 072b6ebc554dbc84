/** Small display pieces: KPI tiles, bars, priority badges, a section heading. */
import type { ComponentChildren } from 'preact'
import { barWidth } from '../lib/format'

type KpiProps = { label: string; value: string; hint?: string; small?: boolean }

export function Kpi({ label, value, hint, small }: KpiProps) {
  return (
    <div class="kpi">
      <div class="kpi-label">{label}</div>
      <div class={small ? 'kpi-value small' : 'kpi-value'}>{value}</div>
      {hint && <div class="kpi-hint">{hint}</div>}
    </div>
  )
}

/** A horizontal bar for a share 0..1; the width is set through CSSOM, which the CSP allows. */
export function Bar({
  share,
  tone = 'accent',
  label,
}: {
  share: number
  tone?: string
  label?: string
}) {
  return (
    <div class="bar" role="img" aria-label={label}>
      <div class={`bar-fill tone-${tone}`} style={{ width: barWidth(share) }} />
    </div>
  )
}

const PRIORITY_TONE: Record<string, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
}

export function Badge({ level, children }: { level: string; children?: ComponentChildren }) {
  return <span class={`badge badge-${PRIORITY_TONE[level] ?? 'low'}`}>{children ?? level}</span>
}

export function Section(props: {
  title: string
  aside?: ComponentChildren
  children: ComponentChildren
}) {
  return (
    <section class="panel">
      <header class="panel-head">
        <h2>{props.title}</h2>
        {props.aside && <div class="panel-aside">{props.aside}</div>}
      </header>
      {props.children}
    </section>
  )
}

/** A form control with its label above it; the label names the control exactly. */
export function Field(props: { id: string; label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  )
}
