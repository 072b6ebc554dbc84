/**
 * The funnel builder: 2–10 steps over any event type, each narrowed by the fields that type
 * has, plus window, order, counting unit and breakdown. Edits stay a draft until "Show funnel".
 */
import { useEffect, useState } from 'preact/hooks'
import { STAGES } from '../../../worker/wire-lists'
import { Field } from '../components/bits'
import { useSite } from '../hooks/use-site'
import { humanize } from '../lib/format'
import {
  BREAKDOWNS,
  cleanStep,
  FIELDS_OF,
  FUNNEL_TYPES,
  funnelProblem,
  MAX_STEPS,
  ORDERS,
  WINDOWS,
  type FunnelDef,
  type FunnelStep,
  type FunnelType,
  type StepField,
} from '../state/funnel-def'

type Props = { value: FunnelDef; onApply: (def: FunnelDef) => void }

const ORDER_HELP = {
  ordered: 'in this order, other events in between allowed',
  strict: 'in this order, no other funnel step in between',
  any: 'in any order',
}

export function FunnelBuilder({ value, onApply }: Props) {
  const [draft, setDraft] = useState(value)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => setDraft(value), [value])

  const setStep = (i: number, step: FunnelStep) =>
    setDraft({ ...draft, steps: draft.steps.map((s, j) => (j === i ? step : s)) })
  const removeStep = (i: number) =>
    setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })
  const submit = (e: Event) => {
    e.preventDefault()
    const p = funnelProblem(draft)
    setProblem(p)
    if (!p) onApply({ ...draft, steps: draft.steps.map(cleanStep) })
  }

  return (
    <form class="builder" onSubmit={submit} aria-label="Funnel definition">
      <ol class="builder-steps">
        {draft.steps.map((s, i) => (
          <StepEditor
            key={i}
            index={i}
            step={s}
            onChange={(step) => setStep(i, step)}
            onRemove={draft.steps.length > 2 ? () => removeStep(i) : undefined}
          />
        ))}
      </ol>
      <div class="builder-row">
        <button
          type="button"
          class="secondary"
          disabled={draft.steps.length >= MAX_STEPS}
          onClick={() => setDraft({ ...draft, steps: [...draft.steps, { type: 'feature' }] })}
        >
          + Add step
        </button>
        <Field id="funnel-window" label="Window">
          <select
            id="funnel-window"
            name="window"
            value={draft.window}
            onChange={(e) =>
              setDraft({ ...draft, window: e.currentTarget.value as FunnelDef['window'] })
            }
          >
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </Field>
        <Field id="funnel-order" label="Order">
          <select
            id="funnel-order"
            name="order"
            value={draft.order}
            title={ORDER_HELP[draft.order]}
            onChange={(e) =>
              setDraft({ ...draft, order: e.currentTarget.value as FunnelDef['order'] })
            }
          >
            {ORDERS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
        <Field id="funnel-by" label="Count">
          <select
            id="funnel-by"
            name="by"
            value={draft.by}
            onChange={(e) => setDraft({ ...draft, by: e.currentTarget.value as FunnelDef['by'] })}
          >
            <option value="user">users</option>
            <option value="session">sessions</option>
          </select>
        </Field>
        <Field id="funnel-breakdown" label="Breakdown">
          <select
            id="funnel-breakdown"
            name="breakdown"
            value={draft.breakdown ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value as FunnelDef['breakdown'] | ''
              const { breakdown: _b, ...rest } = draft
              setDraft(v ? { ...rest, breakdown: v } : rest)
            }}
          >
            <option value="">none</option>
            {BREAKDOWNS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="primary">
          Show funnel
        </button>
      </div>
      <p class="muted small">Steps count {ORDER_HELP[draft.order]}.</p>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  )
}

type StepProps = {
  index: number
  step: FunnelStep
  onChange: (s: FunnelStep) => void
  onRemove?: () => void
}

function StepEditor({ index, step, onChange, onRemove }: StepProps) {
  const { config } = useSite()
  const workflow = config.workflows.find((w) => w.name === step.workflow)
  const choices: Partial<Record<StepField, readonly string[]>> = {
    feature: config.features,
    workflow: config.workflows.map((w) => w.name),
    step: workflow?.steps,
    stage: STAGES,
  }
  const id = (f: string) => `step-${index}-${f}`
  return (
    <li class="builder-step">
      <span class="step-no">{index + 1}.</span>
      <label class="sr-only" for={id('type')}>
        Step {index + 1} event type
      </label>
      <select
        id={id('type')}
        value={step.type}
        onChange={(e) => onChange({ type: e.currentTarget.value as FunnelType })}
      >
        {FUNNEL_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      {FIELDS_OF[step.type].map((f) => {
        const options = choices[f]
        const label = `Step ${index + 1} ${f}`
        const set = (v: string) => onChange({ ...step, [f]: v || undefined })
        return options?.length ? (
          <select
            key={f}
            aria-label={label}
            value={step[f] ?? ''}
            onChange={(e) => set(e.currentTarget.value)}
          >
            <option value="">any {f}</option>
            {options.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </select>
        ) : (
          <input
            key={f}
            aria-label={label}
            placeholder={f === 'path' ? '/path' : `${f} (optional)`}
            value={step[f] ?? ''}
            onInput={(e) => set(e.currentTarget.value)}
          />
        )
      })}
      {onRemove && (
        <button
          type="button"
          class="link-button"
          onClick={onRemove}
          aria-label={`Remove step ${index + 1}`}
        >
          Remove
        </button>
      )}
    </li>
  )
}
