/** Period, tier and device: one bar above every view, all of it kept in the URL. */
import { useEffect, useState } from 'preact/hooks'
import { useSite } from '../hooks/use-site'
import { Field } from './bits'
import {
  describeFilters,
  hasFilters,
  PERIOD_LABELS,
  tierOptions,
  withDevice,
  withPeriod,
  withRange,
  withTier,
} from '../state/filters'
import { DEVICE_OPTIONS, PERIOD_PRESETS, type Device, type PeriodPreset } from '../state/url-state'

export function FilterBar() {
  const { state, config, navigate } = useSite()
  const [from, setFrom] = useState(state.from ?? '')
  const [to, setTo] = useState(state.to ?? '')
  useEffect(() => {
    setFrom(state.from ?? '')
    setTo(state.to ?? '')
  }, [state.from, state.to])

  const applyRange = (f: string, t: string) => {
    const next = withRange(state, f, t)
    if (next !== state) navigate(next)
  }
  const tiers = tierOptions(
    config.tiers.map((t) => t.name),
    state.tier,
  )

  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <Field id="filter-period" label="Period">
        <select
          id="filter-period"
          name="period"
          value={state.period}
          onChange={(e) =>
            navigate(withPeriod(state, e.currentTarget.value as PeriodPreset | 'custom'))
          }
        >
          {[...PERIOD_PRESETS, 'custom' as const].map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </Field>
      {state.period === 'custom' && (
        <>
          <Field id="filter-from" label="From">
            <input
              id="filter-from"
              type="date"
              name="from"
              value={from}
              max={to || undefined}
              onChange={(e) => {
                setFrom(e.currentTarget.value)
                applyRange(e.currentTarget.value, to)
              }}
            />
          </Field>
          <Field id="filter-to" label="To">
            <input
              id="filter-to"
              type="date"
              name="to"
              value={to}
              min={from || undefined}
              onChange={(e) => {
                setTo(e.currentTarget.value)
                applyRange(from, e.currentTarget.value)
              }}
            />
          </Field>
        </>
      )}
      <Field id="filter-tier" label="Tier">
        <select
          id="filter-tier"
          name="tier"
          value={state.tier ?? ''}
          onChange={(e) => navigate(withTier(state, e.currentTarget.value || undefined))}
        >
          <option value="">All tiers</option>
          {tiers.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-device" label="Device">
        <select
          id="filter-device"
          name="device"
          value={state.device ?? ''}
          onChange={(e) =>
            navigate(withDevice(state, (e.currentTarget.value || undefined) as Device | undefined))
          }
        >
          <option value="">All devices</option>
          {DEVICE_OPTIONS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </Field>
      {hasFilters(state) && (
        <button
          type="button"
          class="link-button"
          onClick={() => navigate(withDevice(withTier(state, undefined), undefined))}
        >
          Clear filters
        </button>
      )}
      <p class="filters-summary" aria-live="polite">
        {describeFilters(state)}
      </p>
    </form>
  )
}
