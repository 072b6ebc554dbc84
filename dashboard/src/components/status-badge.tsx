/** Coloured state badges: health against thresholds (§7.8) and alert states (§9). */
import type { ComponentChildren } from 'preact'
import type { AlertState, Health } from '../api/types'
import { alertLabel, alertTone, healthLabel, healthTone, type Tone } from '../lib/health'

export function StatusBadge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>
}

export function HealthBadge({ status }: { status: Health }) {
  return <StatusBadge tone={healthTone(status)}>{healthLabel(status)}</StatusBadge>
}

export function AlertBadge({ state }: { state: AlertState }) {
  return <StatusBadge tone={alertTone(state)}>{alertLabel(state)}</StatusBadge>
}
