/**
 * Every event passes here: stamped with id, time, user, session and tier, cleaned by the PII
 * guard of DESIGN §3 (every string, props included), and queued. Nothing is kept or sent
 * under Do-Not-Track, Global Privacy Control or an opt-out.
 */
import { redact } from '../../worker/ingest/pii'
import type { Event } from '../../worker/schemas'
import { newId } from './ids'
import { off } from './privacy'
import { get, set } from './store'
import { enqueue } from './transport'

/** Who is sending, kept in localStorage as `sw_u`. */
export type User = {
  /** anonymous id, made on first use */ a: string
  /** pseudonymous id from `identify` */ i?: string
  /** tier from `identify` */ t?: string
  /** session id, renewed after 30 minutes without an event */ s?: string
  /** when the last event was made */ l?: number
}

export function track(e: Partial<Event>): void {
  if (off()) return
  const now = Date.now()
  const u = get<User>('sw_u') || { a: newId() }
  if (e.type == 'identify') {
    // The first sign-in links the anonymous history to the uid, once (worker/db/aliases.ts);
    // a later one (another user on this browser) links nothing, so users never merge.
    if (!u.i) e.props = { ...e.props, anon_id: u.a }
    u.i = e.uid
    if (typeof e.tier == 'string') u.t = e.tier
  }
  if (!(now - u.l! < 18e5)) u.s = newId()
  u.l = now
  set('sw_u', u)
  // The round trip through JSON copies the caller's objects, drops what JSON cannot carry,
  // and lets the guard see every string.
  enqueue(
    JSON.parse(
      JSON.stringify({
        // `pathname` never holds the query or the fragment (DESIGN §3).
        path: location.pathname,
        id: newId(),
        ts: now,
        ...e,
        uid: u.i || u.a,
        sid: u.s,
        tier: u.t,
      }),
      (_, v) => (typeof v == 'string' ? redact(v) : v),
    ),
  )
}
