/**
 * What the dashboard downloads after its first page — a view's chunk, the chart library and its
 * stylesheet — named when it fails, and downloaded afresh when tried again.
 */
import { ApiFailure } from '../api/client'

/** Names a download for its failure: "The chart library" (`thing`), "uPlot" (`chunk`). */
export type AssetName = { thing: string; chunk: string }

/** Each import() that failed, by its loader: the URL it failed on. */
const failedUrls = new WeakMap<() => Promise<unknown>, string>()
let busts = 0

/**
 * Runs `load` (an `import()`), or after it failed, imports the URL it failed on with a query.
 * Chromium keeps a failed import in its module map (the HTML spec's "fetch a single module
 * script" stores the failure under the URL), so the same import() — and one after a failed
 * `<link rel=modulepreload>` — fails again at once without a request: seen on Chromium 147. A
 * query makes it another module, fetched anew; it still shares the chunks it imports. Chromium
 * and Firefox name the URL in the error; without it, `load` runs as it is.
 */
export async function importChunk<T>(load: () => Promise<T>, name: AssetName): Promise<T> {
  const url = failedUrls.get(load)
  try {
    return await (url
      ? (import(/* @vite-ignore */ `${url}?retry=${++busts}`) as Promise<T>)
      : load())
  } catch (err) {
    const failed = chunkUrl(err)
    if (failed) failedUrls.set(load, failed)
    const message = err instanceof Error ? err.message : String(err)
    throw new ApiFailure(0, 'chunk', `${name.thing} could not be downloaded.`, {
      what: `${name.thing} (${name.chunk} chunk) did not load: ${message}`,
      cause: err,
    })
  }
}

/** The script URL, without a query, that a failed import names in its message. */
function chunkUrl(err: unknown): string | undefined {
  const m = /(https?:\/\/[^\s?#]+\.m?js)/.exec(err instanceof Error ? err.message : '')
  return m?.[1]
}

/** `load` run once and shared by its callers; a failure is forgotten, so the next call retries. */
export function sharedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () =>
    (pending ??= load().catch((err: unknown) => {
      pending = undefined
      throw err
    }))
}

/** Adds a stylesheet and waits for it; a link that failed is removed, so a retry fetches anew. */
export function loadStylesheet(href: string, name: AssetName): Promise<void> {
  const link = document.createElement('link')
  link.rel = 'stylesheet'
  link.href = href
  return new Promise((resolve, reject) => {
    link.onload = () => resolve()
    link.onerror = () => {
      link.remove()
      const failure = new ApiFailure(0, 'chunk', `${name.thing} could not be downloaded.`, {
        what: `${name.thing} (${name.chunk} stylesheet ${href}) did not load`,
      })
      reject(failure)
    }
    document.head.append(link)
  })
}
