/**
 * Lifecycle stages (journey `lifecycle`, DESIGN §3): a user climbs one stage at a time, so
 * the journey's transitions are consecutive pairs, and earns each by what they did.
 */
import { STAGES } from '../../worker/schemas'
import type { Rng } from './random'
import type { Timeline } from './timeline'

type Stage = (typeof STAGES)[number]
const ORDER: readonly Stage[] = STAGES.filter((s) => s !== 'churn')
const DEEP_FEATURES = ['investment_tracking', 'tax_optimization']

export class Lifecycle {
  /** Sessions in which the user used the app (not counting signup flows). */
  sessions = 0
  private level = -1
  private readonly usedFeatures = new Set<string>()
  private known = false

  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
  ) {}

  has(stage: Stage): boolean {
    return this.level >= ORDER.indexOf(stage)
  }

  /** Emits every stage between the current one and `stage`. */
  reach(stage: Stage): void {
    const target = ORDER.indexOf(stage)
    while (this.level < target) {
      this.level++
      this.tl.emit('stage', { stage: ORDER[this.level], journey: 'lifecycle' })
    }
  }

  /** An existing customer: their stage follows from how much of the app they already use. */
  knownUser(features: Set<string>): void {
    this.known = true
    for (const f of features) this.usedFeatures.add(f)
    this.usedFeatures.add('transaction_sync')
    const n = this.usedFeatures.size
    let stage: Stage = n >= 4 ? 'advanced_usage' : n >= 3 ? 'feature_usage' : 'feature_discovery'
    if (n >= 5 && this.rng.chance(0.25)) stage = 'advocacy'
    this.level = ORDER.indexOf(stage)
    this.sessions = 5
  }

  /** The app re-reports a known customer's stage at their first session in the window. */
  announce(): void {
    this.tl.emit('stage', { stage: ORDER[this.level], journey: 'lifecycle' })
  }

  /** A new user finds a feature in a given session with some chance; known users know them all. */
  discovered(feature: string): boolean {
    return (
      this.known ||
      this.usedFeatures.has(feature) ||
      feature === 'balance_monitoring' ||
      this.rng.chance(0.4)
    )
  }

  used(feature: string): void {
    if (!this.usedFeatures.size) {
      this.tl.emit('conversion', { name: 'first_feature_use', props: { feature } })
    }
    this.usedFeatures.add(feature)
    this.reach('feature_discovery')
  }

  /**
   * Usage earns the later stages: 3 features → feature_usage, 4 (or an investing or tax
   * feature) → advanced_usage; engaged advanced users become promoters who refer a friend.
   */
  afterSession(): void {
    this.sessions++
    const n = this.usedFeatures.size
    if (n >= 3 && this.sessions >= 2) this.reach('feature_usage')
    const deep = DEEP_FEATURES.some((f) => this.usedFeatures.has(f))
    if ((n >= 4 || deep) && this.sessions >= 3 && this.has('feature_usage')) {
      this.reach('advanced_usage')
    }
    const promoter = this.sessions >= 6 && this.rng.chance(0.07)
    if (promoter && this.has('advanced_usage') && !this.has('advocacy')) {
      this.tl.emit('page', { path: '/refer' })
      this.tl.emit('conversion', { name: 'referral_sent' })
      this.reach('advocacy')
    }
  }
}
