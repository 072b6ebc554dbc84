/**
 * Getting events to the collector, at least once, without two tabs sending the same one.
 *
 * Each tab keeps its unsent events in its own localStorage record (`sw_q<tab>`), written at
 * the end of every task that changed it, and sends only what is in it. A record nobody has
 * written for five minutes (its tab closed, crashed, or left while offline) is adopted by
 * whichever tab finds it: that tab writes its claim into the record, and takes the events on
 * a later flush only if its claim is still there, so two tabs racing for one record cannot
 * both win (an owner that wakes up clears the claim by writing; one whose record has been
 * taken finds it gone and lets its copy go). Batches go as `text/plain`, which needs no CORS
 * preflight: by `fetch` with keepalive while the page lives, by `sendBeacon` when it is
 * hidden or left. Numbers are written out where they are used; each constant costs bytes.
 */
import type { Event } from '../../worker/schemas'
import { newId } from './ids'
import { off } from './privacy'
import { del, get, has, keys, set } from './store'

/** t: the owner's last write (false: it left), q: events, o: a claim. */
export type Queue = { t?: number | false; q: Event[]; o?: string }

const tab = newId()
const own = 'sw_q' + tab

let site: string | undefined
let api: string | URL
let attempt = 0
let holdUntil = 0
/** How many of the queue's first events the fetch that is out carries (0: none is out). */
let out = 0
/** Set from `pagehide` or hiding until the page is shown again. */
let left: unknown
let timer: ReturnType<typeof setTimeout> | 0 = 0
/** This tab's queue, kept in memory so that an event costs no parse of it. */
let mine: Queue = { q: [] }
let unsaved: unknown

/** The site's key and the endpoint, from the script tag: `data-api`, else /v1/events beside t.js. */
export const configure = (script: HTMLScriptElement): void => {
  const data = script.dataset
  site = data.site
  api = data.api || new URL('/v1/events', script.src)
}

/** This tab's events; none if its record left localStorage unbidden (another tab took it). */
const load = (): Event[] => (unsaved || has(own) ? mine : (mine = { q: [] })).q

/**
 * Every write is also the owner's heartbeat, and clears any claim on the record. Once the page
 * is hidden or left, every write (the last may come after `pagehide`, from an answer or an
 * event) marks the record as left, so that whatever could not be sent is adopted at once by
 * the site's next page instead of looking fresh for five minutes.
 */
const write = (t: number | false = !left && Date.now()) => {
  unsaved = 0
  // After an opt-out in the same task, what was queued is dropped, not written back.
  mine.q[0] && !off() ? set(own, { t, q: mine.q }) : del(own)
}

/** Writes the queue once at the end of this task, however many events it added. */
const changed = () => (unsaved ||= (queueMicrotask(write), 1))

/** Keeps at most 500 events, the newest: the oldest go. Sends at 20, or after 2 s. */
export const enqueue = (e: Event): void => {
  const q = load()
  if (q.push(e) > 500) q.shift()
  changed()
  // An event made once the page is hidden or being left (say by the page's own pagehide
  // handler) goes by beacon at once: no timer may fire again.
  if (q[19] || left) flush(left)
  else timer ||= setTimeout(() => flush((timer = 0)), 2e3)
}

/**
 * Sends what this tab holds, oldest first: one fetch at a time while the page lives, and by
 * beacon when it is hidden or `leaving`, everything the fetch that is out does not carry (a
 * keepalive fetch outlives the page; its events stay in the record until it is answered).
 * A beacon the browser refuses leaves its events in the record marked as left, which the
 * site's next page adopts and sends at once.
 */
export async function flush(leaving?: unknown): Promise<void> {
  try {
    // Leaving marks the record as left, for the next page to adopt what is not sent now.
    if ((left = leaving)) (load(), write())
    if (Date.now() < holdUntil || !navigator.onLine || (out && !leaving)) return
    leaving || adopt()
    // At most 100 events, and a body under 2e4 UTF-16 units (at most 60 KB of UTF-8): keepalive
    // and beacon bodies share a 64 KB budget.
    const from = leaving ? out : 0
    let q = load().slice(from, from + 100)
    let body
    while ((body = JSON.stringify({ site, events: q })).length > 2e4 && q[1])
      q = q.slice(0, q.length / 2)
    if (!q[0]) return
    // No await when leaving: the page may be gone after this task.
    const res = leaving
      ? ({ status: navigator.sendBeacon(api, body) && 202 } as Partial<Response>)
      : ((out = q.length),
        await fetch(api, { method: 'POST', body, keepalive: true }).catch(() => {}))
    leaving || (out = 0)
    const status = res?.status as number
    // 2xx is done, and so is a 4xx other than 408 and 429, which sending again cannot fix.
    if (status > 199 && status < 500 && status - 408 && status - 429) {
      attempt = 0
      // Only this tab sends its queue, one fetch at a time, and a beacon only what follows it,
      // so the batch is still where it was taken from.
      load().splice(from, q.length)
      changed()
      flush(leaving)
    } else {
      // Jittered exponential backoff (1–2 s, 2–4 s, … 30–60 s), or longer if Retry-After says so.
      // Whole milliseconds: the timer then never fires before the hold ends.
      const wait =
        Math.max(
          Math.min(2 ** ++attempt, 60) * (500 + Math.random() * 500),
          (res?.headers?.get('retry-after') as unknown as number) * 1e3 || 0,
        ) | 0
      holdUntil = Date.now() + wait
      setTimeout(flush, wait)
    }
  } catch {}
}

/** Back online: try now, whatever the backoff said. */
export const online = () => flush((holdUntil = 0))

/**
 * Takes over queues their tabs left behind, in two steps: a stale record is claimed (which also
 * makes it fresh for everyone else), and taken by a later flush if the claim is still ours.
 */
const adopt = () => {
  for (const k of keys()) {
    const r = k.startsWith('sw_q') && k != own && get<Queue>(k)
    const age = r ? Date.now() - +r.t! : 0
    // 300 ms is ample for a rival's claim to reach this tab's copy of localStorage.
    if (r && r.o == tab && age > 300) {
      del(k)
      load().push(...r.q)
      changed()
    } else if (age > 3e5) {
      set(k, { ...r, t: Date.now(), o: tab })
      setTimeout(flush, 400)
    }
  }
}
