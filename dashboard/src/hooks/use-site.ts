/** What every view may use: the signed-in site, its config, the URL state and navigation. */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { SiteConfig } from '../../../worker/schemas'
import type { SiteClient } from '../api/client'
import type { UrlState } from '../state/url-state'

export type SiteContext = {
  client: SiteClient
  site: { id: string; name: string }
  config: SiteConfig
  state: UrlState
  /** The common analysis query (period and filters) for the current state. */
  query: Record<string, string>
  navigate: (next: UrlState, replace?: boolean) => void
  href: (next: UrlState) => string
}

export const Site = createContext<SiteContext | null>(null)

export function useSite(): SiteContext {
  const ctx = useContext(Site)
  if (!ctx) throw new Error('useSite() outside <Site.Provider>')
  return ctx
}
