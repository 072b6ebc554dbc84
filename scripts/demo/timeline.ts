/**
 * One user's clock and event writer. Everything the story does advances `t`; every event is
 * stamped with it, so a user's events are in order and sessions never overlap. Events past
 * `now` are not written: a session cut by `now` leaves its workflow runs in progress.
 */
import type { DEVICES, EventRow } from '../../worker/schemas'
import type { Tier } from './catalog'
import type { Rng } from './random'

export type Device = (typeof DEVICES)[number]
type Props = Record<string, string | number | boolean>
export type Fields = Omit<
  EventRow,
  'site_id' | 'id' | 'type' | 'ts' | 'received_at' | 'uid' | 'sid' | 'device' | 'props'
> & { props?: Props }

/** A session ends after 30 minutes without events (DESIGN §3). */
export const SESSION_GAP_MS = 30 * 60_000

export class Timeline {
  t = 0
  tier: Tier | undefined
  device: Device = 'mobile'
  private sid: string | undefined
  private seq = 0
  private sessions = 0
  private runs = 0

  constructor(
    private readonly out: EventRow[],
    private readonly rng: Rng,
    private readonly siteId: string,
    private readonly now: number,
    /** Short, unique per user: the prefix of every id this user's events carry. */
    private readonly key: string,
    readonly uid: string,
  ) {}

  /** Starts a session at `start`, or 31 minutes after the last event if that is later. */
  startSession(start: number, device: Device): void {
    this.t = Math.max(start, this.t + SESSION_GAP_MS + 60_000)
    this.device = device
    this.sid = `s${this.key}.${(this.sessions++).toString(36)}`
  }

  newRunId(): string {
    return `r${this.key}.${(this.runs++).toString(36)}`
  }

  wait(seconds: number): void {
    this.t += seconds * 1000
  }

  /** A browser event: carries the session and device, arrives a moment (rarely minutes) later. */
  emit(type: EventRow['type'], fields: Fields): void {
    const delay = this.rng.chance(0.01)
      ? this.rng.between(60_000, 900_000) // sat in the tracker's offline queue
      : this.rng.logNormal(350, 0.6)
    this.write(type, fields, delay, true)
  }

  /** A server-side event (the bank's backend): no session, no device. */
  emitServer(type: EventRow['type'], fields: Fields): void {
    this.write(type, fields, this.rng.between(20, 250), false)
  }

  /** A backend event at `at` (a renewal, a charge from the past), the clock left where it was. */
  emitServerAt(at: number, type: EventRow['type'], fields: Fields): void {
    const saved = this.t
    this.t = at
    this.emitServer(type, fields)
    this.t = saved
  }

  private write(type: EventRow['type'], fields: Fields, delay: number, client: boolean): void {
    if (this.t > this.now) return
    const ts = Math.round(this.t)
    const { props, ...rest } = fields
    const row: EventRow = {
      site_id: this.siteId,
      id: `e${this.key}.${(this.seq++).toString(36)}`,
      type,
      ts,
      received_at: Math.min(this.now, ts + Math.round(delay)),
      uid: this.uid,
      ...rest,
    }
    if (client && this.sid) row.sid = this.sid
    if (client) row.device = this.device
    if (this.tier && row.tier === undefined) row.tier = this.tier
    if (props) row.props = JSON.stringify(props)
    this.out.push(row)
  }
}
