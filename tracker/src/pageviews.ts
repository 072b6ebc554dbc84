/**
 * Automatic pageviews: the first load, and every single-page-app navigation (pushState,
 * replaceState, back/forward, hash routes). A navigation that leaves the stripped path as it
 * was (a new query string, an anchor) is not a new page.
 */
import { track } from './track'

let last: string | undefined

export function pageview(): void {
  try {
    const path = location.pathname
    if (path != last) track({ type: 'page', path: (last = path) })
  } catch {}
}

export function watchNavigation(): void {
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = history[m]
    // Both return undefined; a throw (a cross-origin URL) reaches the caller as before.
    history[m] = function (this: History) {
      original.apply(this, arguments as unknown as Parameters<History['pushState']>)
      pageview()
    }
  }
  addEventListener('popstate', pageview)
}
