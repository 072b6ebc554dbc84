/**
 * `stepwise/tracker` for bundled single-page apps (issue 14): the same modules as `t.js`,
 * as ES module exports instead of a script tag and `window.sw`. Nothing is global unless
 * `init` is asked for it (`global: true` sets `window.sw`, for code that calls `sw(...)`).
 *
 *   import { init, track } from 'stepwise/tracker'
 *   init({ site: 'pk_…', api: 'https://stepwise.example/v1/events' })
 *   track('step', 'account_linking', 'connect')
 */
import { sw } from './commands'
import { pageview, watchNavigation } from './pageviews'
import { configure, flush, online } from './transport'
import { workflowEvent } from './workflows'

export type InitOptions = {
  /** The site's public key, `pk_…`. */
  site: string
  /** The collector endpoint, e.g. `https://stepwise.example/v1/events`. */
  api: string
  /** Count pageviews, on load and on every single-page navigation (default true). */
  pageviews?: boolean
  /** Also set `window.sw`, as the script tag does (default false). */
  global?: boolean
}

let started = false

/** Starts tracking once; a second call changes nothing. Never throws. */
export function init(options: InitOptions): void {
  try {
    if (started) return
    started = true
    configure({ dataset: { site: options.site, api: options.api } } as never)
    if (options.global) (window as unknown as { sw: typeof sw }).sw = sw
    workflowEvent()
    if (options.pageviews != false) (pageview(), watchNavigation())
    addEventListener('pagehide', () => flush(1))
    addEventListener('online', online)
    addEventListener('visibilitychange', () => flush(document.hidden))
  } catch {}
}

/**
 * Every call of DESIGN §4, as `sw(...)` takes it: `track('identify', uid, {tier})`,
 * `track('step', workflow, step, options)`, `track('consent', false)`, … Never throws.
 */
export const track: (command: string, ...args: unknown[]) => void = sw as never

/** Sends what waits now, as on a page's hiding (by beacon). */
export const sendNow = (): void => void flush(1)

/** Counts a pageview for the current path, for routers `init` cannot see (pageviews: false). */
export { pageview }
