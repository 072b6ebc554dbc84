/** A select bound to one view setting in the URL (`?interval=day`), so it is shared and reloaded. */
import { useSite } from '../hooks/use-site'
import { Field } from './bits'

type Props = {
  param: string
  label: string
  value: string
  options: readonly (string | { value: string; label: string })[]
}

export function ParamSelect({ param, label, value, options }: Props) {
  const { state, navigate } = useSite()
  return (
    <Field id={`view-${param}`} label={label}>
      <select
        id={`view-${param}`}
        name={param}
        value={value}
        onChange={(e) => {
          const params = { ...state.params, [param]: e.currentTarget.value }
          if (!e.currentTarget.value) delete params[param]
          navigate({ ...state, params })
        }}
      >
        {options.map((o) => {
          const { value: v, label: l } = typeof o === 'string' ? { value: o, label: o } : o
          return (
            <option key={v} value={v}>
              {l}
            </option>
          )
        })}
      </select>
    </Field>
  )
}
