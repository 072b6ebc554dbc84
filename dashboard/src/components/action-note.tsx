/** What a button's request came to: its result, or the API's own error message. */
import type { ComponentChildren } from 'preact'
import type { Action } from '../hooks/use-action'

type Props<T> = { action: Action<T>; children: (result: T) => ComponentChildren }

export function ActionNote<T>({ action, children }: Props<T>) {
  return (
    <div class="action-note" aria-live="polite">
      {action.busy && <span class="muted">Sending…</span>}
      {action.error && (
        <p class="form-error" role="alert">
          {action.error.message}
        </p>
      )}
      {action.result !== null && <p class="action-result">{children(action.result)}</p>}
    </div>
  )
}
