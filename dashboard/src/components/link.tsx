/** An ordinary link that navigates inside the app; new-tab clicks keep the browser's way. */
import type { ComponentChildren } from 'preact'
import { useSite } from '../hooks/use-site'
import type { UrlState } from '../state/url-state'

type Props = { to: UrlState; children: ComponentChildren; class?: string; current?: boolean }

export function Link({ to, children, class: cls, current }: Props) {
  const { navigate, href } = useSite()
  return (
    <a
      href={href(to)}
      class={cls}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(to)
      }}
    >
      {children}
    </a>
  )
}
