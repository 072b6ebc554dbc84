/**
 * Using a feature: its page, a `feature` event with the seconds spent, now and then a
 * `feedback` rating, and for some features a one-off purchase the bank's backend reports
 * as `revenue` attributed to the feature.
 */
import { FEATURES, FEATURE_PURCHASES } from './catalog'
import type { Rng } from './random'
import type { Timeline } from './timeline'

export class FeatureUse {
  private readonly ratings = new Map<string, number>()
  private readonly bought = new Set<string>()

  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
    private readonly page: (path: string) => void,
  ) {}

  use(feature: string): void {
    const spec = FEATURES[feature]
    this.page(this.rng.pick(spec.paths))
    const seconds = this.rng.logNormal(spec.seconds, 0.6)
    this.tl.wait(seconds)
    const failed = this.rng.chance(spec.failRate)
    const reason = feature === 'credit_monitoring' ? 'bureau_unavailable' : 'load_error'
    this.tl.emit('feature', {
      feature,
      name: this.rng.pick(spec.actions),
      status: failed ? 'failed' : 'completed',
      value: Math.round(seconds * 10) / 10,
      ...(failed ? { reason } : {}),
    })
    if (this.rng.chance(0.05))
      this.rate(feature, spec.rating[this.tl.tier ?? 'free'] - (failed ? 1.5 : 0))
    const purchase = FEATURE_PURCHASES[feature]
    if (purchase && !failed && !this.bought.has(feature) && this.rng.chance(purchase.chance)) {
      this.bought.add(feature)
      this.tl.emitServer('revenue', {
        name: 'one_time',
        feature,
        value: purchase.price,
        currency: 'USD',
        props: { item: purchase.name },
      })
    }
  }

  /** A 1–5 rating around `mean`; at most two per feature and user. */
  rate(feature: string, mean: number): void {
    const given = this.ratings.get(feature) ?? 0
    if (given >= 2) return
    this.ratings.set(feature, given + 1)
    const value = Math.min(5, Math.max(1, Math.round(this.rng.normal(mean, 0.75))))
    this.tl.emit('feedback', { feature, value })
  }
}
