/**
 * The views table. Adding a view (performance, revenue, predictions) is one entry here and one
 * file next to this one; the nav, routing, code splitting and filters follow from the entry.
 */
import type { ComponentType } from 'preact'

export type ViewDef = {
  /** The first path segment: `/workflows/…`. */
  id: string
  label: string
  /** Loaded on first visit, so each view is its own chunk. */
  load: () => Promise<{ default: ComponentType }>
}

export const VIEWS: ViewDef[] = [
  { id: 'overview', label: 'Overview', load: () => import('./overview') },
  { id: 'features', label: 'Features', load: () => import('./features') },
  { id: 'workflows', label: 'Workflows', load: () => import('./workflows') },
  { id: 'funnels', label: 'Funnels', load: () => import('./funnels') },
  { id: 'journeys', label: 'Journeys', load: () => import('./journeys') },
  { id: 'retention', label: 'Retention', load: () => import('./retention') },
  { id: 'dropoffs', label: 'Drop-offs', load: () => import('./dropoffs') },
  { id: 'opportunities', label: 'Opportunities', load: () => import('./opportunities') },
  { id: 'revenue', label: 'Revenue', load: () => import('./revenue') },
  { id: 'performance', label: 'Performance', load: () => import('./performance') },
  { id: 'predictions', label: 'Predictions', load: () => import('./predictions') },
  { id: 'alerts', label: 'Alerts', load: () => import('./alerts') },
]

export function findView(id: string): ViewDef | undefined {
  return VIEWS.find((v) => v.id === id)
}
