import { del, get, keys, set } from './store'

/** Do-Not-Track, Global Privacy Control, or an opt-out: then nothing is kept or sent. */
export const off = (n = navigator as Navigator & { globalPrivacyControl?: boolean }): unknown =>
  (n.doNotTrack as unknown) == 1 || n.globalPrivacyControl || get('sw_off')

/**
 * `sw('consent', false)` forgets everything the tracker kept (ids, queued events, open runs)
 * and remembers only the opt-out; `sw('consent', true)` lifts it. Anything else is ignored.
 */
export const consent = (given: unknown): void => {
  if (given === false) {
    for (const k of keys()) if (k.startsWith('sw_')) del(k)
    set('sw_off', 1)
  }
  if (given === true) del('sw_off')
}
