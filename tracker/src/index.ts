/**
 * The Stepwise tracker (DESIGN §4): take over `window.sw` from the stub and replay its queue,
 * report lapsed workflow runs, count the pageview, and send.
 *
 *   <script defer src="https://COLLECTOR/t.js" data-site="pk_..."></script>
 *   <script>window.sw=window.sw||function(){(sw.q=sw.q||[]).push(arguments)}</script>
 *
 */
import { sw as command } from './commands'
import { pageview, watchNavigation } from './pageviews'
import { configure, flush, online } from './transport'
import { workflowEvent } from './workflows'

type Stub = { (...args: unknown[]): void; q?: Iterable<unknown>[]; l?: 1 }

try {
  const w = window as unknown as { sw?: Stub }
  const sw: Stub = command
  // A second copy of the script on the page leaves the first in charge.
  if (!w.sw?.l) {
    configure(document.currentScript as HTMLScriptElement)
    const queued = w.sw?.q || []
    w.sw = sw
    sw.l = 1
    for (const args of queued) sw(...args)
    workflowEvent()
    pageview()
    watchNavigation()
    addEventListener('pagehide', () => flush(1))
    addEventListener('online', online)
    // Shown again (another tab, or back from the back/forward cache): sends what waits by fetch.
    addEventListener('visibilitychange', () => flush(document.hidden))
  }
} catch {}
