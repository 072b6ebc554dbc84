/**
 * The dashboard's one retry rule, for every load (API calls, view chunks, the chart library):
 * a failure that may pass by itself — no answer, a 5xx, a short 429, a chunk that did not
 * download — is tried once more after a short pause; one that will not (a 4xx: a revoked key, a
 * missing workflow) is shown at once. The failure that stays is logged with its cause.
 */
import { ApiFailure } from '../api/client'

/** Long enough for a dropped connection or a restarting Worker, too short to be noticed. */
const PAUSE_MS = 750
/** A 429 is retried only when it asks for no longer a wait than this; ours say 60 s. */
const MAX_RETRY_AFTER_S = 2

/** How long to wait before trying again, or null when trying again cannot help. */
export function retryDelayMs(err: unknown): number | null {
  if (!(err instanceof ApiFailure)) return null
  if (err.status === 0) return err.code === 'network' || err.code === 'chunk' ? PAUSE_MS : null
  if (err.status >= 500) return PAUSE_MS
  if (err.status === 429) {
    const s = err.detail.retryAfterS ?? 0
    return s <= MAX_RETRY_AFTER_S ? Math.max(PAUSE_MS, s * 1000) : null
  }
  return null
}

/** Runs `load`, once more after a pause if its failure may pass; an abort stops it quietly. */
export async function retryOnce<T>(load: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await load()
  } catch (first) {
    const delay = retryDelayMs(first)
    if (delay === null || signal?.aborted) throw logged(first, signal)
    console.warn(`${whatFailed(first)}; trying once more`)
    await pause(delay, signal)
    try {
      return await load()
    } catch (second) {
      throw logged(second, signal)
    }
  }
}

function whatFailed(err: unknown): string {
  if (err instanceof ApiFailure) return err.detail.what || err.message
  return err instanceof Error ? err.message : String(err)
}

/** The console keeps the cause (the browser's own error), which the page shows only as text. */
function logged(err: unknown, signal?: AbortSignal): unknown {
  if (!signal?.aborted) console.error(`Stepwise could not load: ${whatFailed(err)}`, err)
  return err
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // A polled resource keeps one signal across polls: the listener goes when the pause ends.
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
