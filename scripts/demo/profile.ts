/**
 * Who a demo user is before anything happens: new or existing customer, tier, device, how
 * often they open the app, which bank they link, which features they will take up, and
 * whether they mean to upgrade. All drawn from the user's own stream.
 */
import { FEATURES, INSTITUTIONS, UPGRADE_FEATURE, type Tier } from './catalog'
import type { Rng } from './random'
import type { Device } from './timeline'

export type Profile = {
  /** A customer before the window starts (already onboarded and linked), or a new signup. */
  existing: boolean
  /** Day of the window a new user signs up on. */
  signupDay: number
  tier: Tier
  device: Device
  /** Mean sessions per day. */
  activity: number
  institution: string
  /** Features the user will use (besides account_linking and transaction_sync). */
  features: Set<string>
  upgradeTo: Tier | null
}

const SHARES = Object.fromEntries(Object.entries(INSTITUTIONS).map(([k, v]) => [k, v.share]))
const ACTIVITY: Record<Tier, number> = { free: 1, plus: 1.15, premium: 1.35 }

export function pickInstitution(rng: Rng, except: string[] = []): string {
  for (;;) {
    const inst = rng.weighted(SHARES)
    if (!except.includes(inst)) return inst
  }
}

export function drawProfile(rng: Rng, days: number): Profile {
  const existing = rng.chance(0.4)
  // Existing customers skew paid; signups mostly start free and pay later, so the month's new
  // subscriptions keep up the history's stream (subscription-history.ts GROWTH) rather than
  // jump above it. Upgrades during the window bring the mix to about 65 / 25 / 10.
  const tier = rng.weighted<Tier>(
    existing
      ? { free: 0.33, plus: 0.47, premium: 0.2 }
      : { free: 0.89, plus: 0.085, premium: 0.025 },
  )
  const features = new Set<string>()
  for (const [name, spec] of Object.entries(FEATURES)) {
    if (rng.chance(spec.adoption[tier])) features.add(name)
  }
  return {
    existing,
    // Signups grow a little over the month.
    signupDay: Math.floor(Math.pow(rng.next(), 0.85) * days),
    tier,
    device: rng.weighted<Device>({ mobile: 0.56, desktop: 0.34, tablet: 0.1 }),
    activity: Math.min(2.5, Math.max(0.05, rng.logNormal(0.33, 0.7))) * ACTIVITY[tier],
    institution: pickInstitution(rng),
    features,
    upgradeTo: drawUpgrade(rng, tier, features),
  }
}

/**
 * Users of UPGRADE_FEATURE upgrade far more (catalog.ts, planted): free ones to a paid plan,
 * plus ones to premium — the upsell story's other half.
 */
function drawUpgrade(rng: Rng, tier: Tier, features: Set<string>): Tier | null {
  const driven = features.has(UPGRADE_FEATURE)
  if (tier === 'free') {
    return rng.chance(driven ? 0.5 : 0.035) ? (rng.chance(0.85) ? 'plus' : 'premium') : null
  }
  if (tier === 'plus') return rng.chance(driven ? 0.4 : 0.04) ? 'premium' : null
  return null
}

/** On an upgrade, features the new tier favours may be taken up too. */
export function adoptForTier(rng: Rng, features: Set<string>, from: Tier, to: Tier): void {
  for (const [name, spec] of Object.entries(FEATURES)) {
    if (features.has(name)) continue
    const extra = (spec.adoption[to] - spec.adoption[from]) / (1 - spec.adoption[from])
    if (extra > 0 && rng.chance(extra)) features.add(name)
  }
}
