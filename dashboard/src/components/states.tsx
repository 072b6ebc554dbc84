/** Loading, empty and error states, the same on every view. */
import type { ComponentChildren } from 'preact'
import type { ApiFailure } from '../api/client'
import type { ApiResource } from '../hooks/use-api'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  )
}

export function Empty({ children }: { children: ComponentChildren }) {
  return (
    <div class="state state-empty" role="status">
      {children}
    </div>
  )
}

/** The failure's message, what failed (the request and its status, or the chunk), and a retry. */
export function ErrorNote({ error, retry }: { error: ApiFailure; retry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <strong>Could not load this.</strong> {error.message}
      {error.status >= 400 && <span class="muted"> ({error.code})</span>}
      {retry && (
        <button type="button" class="link-button" onClick={retry}>
          Try again
        </button>
      )}
      {error.detail.what && <div class="muted state-cause">{error.detail.what}</div>}
    </div>
  )
}

type LoadedProps<T> = {
  res: ApiResource<T>
  /** When this says the data is empty, `emptyText` shows instead of `children`. */
  isEmpty?: (data: T) => boolean
  emptyText?: ComponentChildren
  children: (data: T) => ComponentChildren
}

/** Renders a resource: spinner, error with retry, empty note, or the view's content. */
export function Loaded<T>({ res, isEmpty, emptyText, children }: LoadedProps<T>) {
  if (res.status === 'loading') return <Loading />
  if (res.status === 'error') return <ErrorNote error={res.error} retry={res.reload} />
  if (isEmpty?.(res.data)) {
    return <Empty>{emptyText ?? 'No data for this period and these filters.'}</Empty>
  }
  return <>{children(res.data)}</>
}
