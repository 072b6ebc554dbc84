/** The signed-in app: header, view navigation, the filter bar, and the current view. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Session } from './app'
import { siteClient } from './api/client'
import { FilterBar } from './components/filter-bar'
import { LazyView } from './components/lazy-view'
import { Link } from './components/link'
import { Empty } from './components/states'
import { Site, type SiteContext } from './hooks/use-site'
import {
  apiQuery,
  formatUrlState,
  parseUrlState,
  switchView,
  type UrlState,
} from './state/url-state'
import { findView, VIEWS } from './views'

const readLocation = () => parseUrlState(location.pathname, location.search)

export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [state, setState] = useState<UrlState>(readLocation)
  const main = useRef<HTMLElement>(null)
  const moved = useRef(false)

  useEffect(() => {
    const onPop = () => setState(readLocation())
    addEventListener('popstate', onPop)
    return () => removeEventListener('popstate', onPop)
  }, [])

  const client = useMemo(
    () => siteClient(session.key, session.identity.site.id),
    [session.key, session.identity.site.id],
  )
  const query = useMemo(() => apiQuery(state), [state])
  const ctx: SiteContext = {
    client,
    site: session.identity.site,
    config: session.config,
    state,
    query,
    href: formatUrlState,
    navigate: (next, replace = false) => {
      const url = formatUrlState(next)
      if (url !== location.pathname + location.search) {
        history[replace ? 'replaceState' : 'pushState'](null, '', url)
      }
      moved.current = next.view !== state.view || next.item !== state.item
      setState(next)
    },
  }

  const view = findView(state.view)
  useEffect(() => {
    document.title = `${view?.label ?? 'Not found'} · ${session.identity.site.name} · Stepwise`
    // After moving to another page, keyboard and screen reader users start at its content.
    if (moved.current) main.current?.focus()
    moved.current = false
  }, [state.view, state.item])

  return (
    <Site.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Stepwise
        </div>
        <div class="site-name" title={`Site ${session.identity.site.id}`}>
          {session.identity.site.name}
        </div>
        <button type="button" class="link-button sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="views" aria-label="Views">
        {VIEWS.map((v) => (
          <Link key={v.id} to={switchView(state, v.id)} current={v.id === state.view}>
            {v.label}
          </Link>
        ))}
      </nav>
      <FilterBar />
      <main id="main" ref={main} tabIndex={-1}>
        {view ? (
          <LazyView key={view.id} def={view} />
        ) : (
          <Empty>
            There is no page here.{' '}
            <Link to={switchView(state, 'overview')}>Go to the overview</Link>.
          </Empty>
        )}
      </main>
    </Site.Provider>
  )
}
