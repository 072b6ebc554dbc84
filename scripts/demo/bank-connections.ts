/**
 * Bank connections: one `connection` event per sync or link, whose latency and success
 * follow the institution's health on that day (catalog.ts). A session's first sync also
 * shows up as a `transaction_sync` feature use, so that feature's success rate carries the
 * banks' trouble.
 */
import { institutionHealth } from './catalog'
import type { Rng } from './random'
import type { Timeline } from './timeline'

export class BankConnections {
  /** Linked institutions, first the one the user linked first. */
  readonly linked: string[] = []
  /** Connections that failed: users of a flaky bank churn more. */
  failures = 0
  /** When each failed, so a story can ask about the last days only. */
  private readonly failedAt: number[] = []

  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
    private readonly dayFrac: () => number,
    private readonly days: number,
  ) {}

  /** One connection; `ok` forces the outcome (the link flow decides it from its own step). */
  connect(institution: string, name: 'sync' | 'link', ok?: boolean, reason?: string) {
    const health = institutionHealth(institution, this.dayFrac(), this.days)
    ok ??= this.rng.chance(health.success)
    // Failures are mostly timeouts: slower than successes.
    const median = health.latencyMs * (ok ? 1 : 2.2)
    const latency = Math.round(Math.min(30_000, this.rng.logNormal(median, ok ? 0.45 : 0.5)))
    this.tl.wait(latency / 1000)
    this.tl.emit('connection', {
      institution,
      name,
      status: ok ? 'completed' : 'failed',
      value: latency,
      ...(ok ? {} : { reason: reason ?? this.failureReason() }),
    })
    if (!ok) {
      this.failures++
      this.failedAt.push(this.tl.t)
    }
    return { ok, latency }
  }

  /** Connections that failed at or after `since` (ms epoch). */
  failuresSince(since: number): number {
    let n = 0
    for (let i = this.failedAt.length - 1; i >= 0 && this.failedAt[i] >= since; i--) n++
    return n
  }

  private failureReason(): string {
    // Mostly the bank's side, some the aggregator's and ours: the error split of §7.8.
    return this.rng.weighted({
      institution_timeout: 5,
      institution_error: 4,
      aggregator_error: 1.5,
      app_error: 0.5,
    })
  }

  /** Refreshes every linked bank, then the user looks at the synced transactions. */
  syncAll(page: (path: string) => void): { ok: boolean } | undefined {
    if (!this.linked.length) return
    const results = this.linked.map((institution) => this.connect(institution, 'sync'))
    const first = results[0]
    if (this.rng.chance(0.5)) page('/transactions')
    const seconds = this.rng.logNormal(35, 0.6)
    this.tl.wait(seconds)
    this.tl.emit('feature', {
      feature: 'transaction_sync',
      name: 'sync',
      status: first.ok ? 'completed' : 'failed',
      value: Math.round(seconds * 10) / 10,
      ...(first.ok ? {} : { reason: 'sync_failed' }),
    })
    if (this.rng.chance(0.3)) {
      this.tl.emit('metric', {
        name: 'sync_latency_ms',
        value: first.latency,
        institution: this.linked[0],
      })
    }
    return first
  }
}
