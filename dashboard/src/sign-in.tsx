/** Sign-in with a secret read key; the message says what went wrong in words a person can act on. */
import { useEffect, useRef, useState } from 'preact/hooks'
import { keyProblem } from './state/session'

type Props = { message?: string; onSignIn: (key: string) => Promise<string | null> }

export function SignIn({ message, onSignIn }: Props) {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(message)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  useEffect(() => setError(message), [message])

  const submit = async (e: Event) => {
    e.preventDefault()
    const problem = keyProblem(key)
    if (problem) return setError(problem)
    setBusy(true)
    const failed = await onSignIn(key.trim())
    setBusy(false)
    if (failed) setError(failed)
  }

  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <h1>
          <span class="brand-mark" aria-hidden="true" />
          Stepwise
        </h1>
        <label for="key">Read key</label>
        <input
          id="key"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="sk_…"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" class="form-error" role="alert">
            {error}
          </p>
        )}
        <p id="sign-in-help" class="muted">
          Use a secret key with the <code>read</code> or <code>admin</code> role. It is kept in this
          tab only and removed when you sign out or close it. <code>npm start</code> prints a
          sign-in link for the demo bank.
        </p>
      </form>
    </main>
  )
}
