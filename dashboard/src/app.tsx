/**
 * The auth gate. A key comes from the `#key=` link (removed from the address bar at once) or
 * sessionStorage; `GET /v1/whoami` says which site it opens, then the site's config gives the
 * tiers, features and workflows the filters and builders offer.
 */
import { useEffect, useState } from 'preact/hooks'
import type { SiteConfig } from '../../worker/schemas'
import { ApiFailure, answer, apiClient, handleUnauthorized } from './api/client'
import { Loading } from './components/states'
import { Shell } from './shell'
import { SignIn } from './sign-in'
import { canRead, keyFromHash, signInError, STORAGE_KEY, type Identity } from './state/session'

export type Session = { key: string; identity: Identity; config: SiteConfig }
type Auth =
  | { status: 'checking' }
  | { status: 'signed-out'; message?: string }
  | { status: 'signed-in'; session: Session }

export async function openSession(key: string): Promise<Session> {
  const api = apiClient(key).v1
  const identity = await answer(api.whoami.$get())
  if (!canRead(identity))
    throw new ApiFailure(403, 'forbidden', signInError(403, identity.key.role))
  const param = { site: encodeURIComponent(identity.site.id) }
  const { config } = await answer(api.sites[':site'].config.$get({ param }))
  return { key, identity, config }
}

function takeKeyFromLocation(): string | null {
  const key = keyFromHash(location.hash)
  if (key) history.replaceState(history.state, '', location.pathname + location.search)
  return key
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ status: 'checking' })

  const signIn = async (key: string): Promise<string | null> => {
    try {
      const session = await openSession(key)
      sessionStorage.setItem(STORAGE_KEY, key)
      setAuth({ status: 'signed-in', session })
      return null
    } catch (err) {
      sessionStorage.removeItem(STORAGE_KEY)
      const message =
        err instanceof ApiFailure && err.status !== 403
          ? signInError(err.status)
          : String((err as Error).message)
      setAuth({ status: 'signed-out', message })
      return message
    }
  }

  const signOut = (message?: string) => {
    sessionStorage.removeItem(STORAGE_KEY)
    setAuth({ status: 'signed-out', message })
  }

  useEffect(() => {
    handleUnauthorized((m) => signOut(`Signed out: ${m}.`))
    const key = takeKeyFromLocation() ?? sessionStorage.getItem(STORAGE_KEY)
    if (key) void signIn(key)
    else setAuth({ status: 'signed-out' })
    // A `#key=` link opened in a tab that is already signed in switches to that key.
    const onHash = () => {
      const k = takeKeyFromLocation()
      if (k) void signIn(k)
    }
    addEventListener('hashchange', onHash)
    return () => removeEventListener('hashchange', onHash)
  }, [])

  if (auth.status === 'checking') return <Loading label="Signing in…" />
  if (auth.status === 'signed-out') return <SignIn message={auth.message} onSignIn={signIn} />
  return <Shell session={auth.session} onSignOut={() => signOut('You are signed out.')} />
}
