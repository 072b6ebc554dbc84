/** Opportunities (DESIGN §7.7): every detector over the loaded data, then ranked. */
import type { ConnectionRow } from '../../db/insights/connections'
import type {
  FeatureAccessRow,
  FeatureUsageRow,
  TierUpgradeRow,
} from '../../db/insights/feature-stats'
import type { FeatureReasonRow } from '../../db/insights/feature-reasons'
import type { StageReachRow } from '../../db/insights/stage-reach'
import type { SiteConfig } from '../../schemas'
import type { DropoffPoint } from '../dropoff-impact'
import type { Prices } from '../dropoffs'
import type { TierValue } from '../feature-value'
import type { Range } from '../period'
import type { Run } from '../workflow-runs'
import type { WorkflowDef } from '../workflows'
import { dropoffCandidates } from './dropoff'
import { institutionCandidates } from './institution'
import { journeyLeakCandidates } from './journey-leak'
import { lowSuccessCandidates } from './low-success'
import { rankOpportunities, type Opportunity } from './rank'
import { costAssumptions } from './roi'
import { slowStepCandidates } from './slow-step'
import { droppedUsers, featureSegments, stepSegments, type LostUser } from './step-losses'
import { threshold } from '../thresholds'
import { upsellCandidates } from './upsell'

export type OpportunityInputs = {
  config: SiteConfig
  range: Range
  prices: Prices
  dropoffs: DropoffPoint[]
  workflows: { def: WorkflowDef; runs: Run[] }[]
  connections: ConnectionRow[]
  featureValue: Record<string, TierValue>
  featureUsage: FeatureUsageRow[]
  featureAccess: FeatureAccessRow[]
  featureReasons: FeatureReasonRow[]
  upgrades: TierUpgradeRow[]
  stages: StageReachRow[]
}

/** What the runs tell beyond the points: who dropped where, each step's segments, last steps. */
function stepContext(i: OpportunityInputs) {
  const lost = new Map<string, Map<string, LostUser>>()
  const segments = featureSegments(i.featureAccess)
  const terminal = new Set<string>()
  for (const { def, runs } of i.workflows) {
    for (const [id, users] of droppedUsers(def, runs, i.prices)) lost.set(id, users)
    for (const [id, rates] of stepSegments(def, runs)) segments.set(id, rates)
    terminal.add(`workflow:${def.name}:${def.steps[def.steps.length - 1]}`)
  }
  // Per institution, the users who dropped at a step while linking it (their tier's price).
  const linking = new Map<string, Map<string, number>>()
  for (const users of lost.values()) {
    for (const [user, l] of users) {
      if (!l.institution) continue
      const mine = linking.get(l.institution) ?? new Map<string, number>()
      mine.set(user, Math.max(l.price, mine.get(user) ?? 0))
      linking.set(l.institution, mine)
    }
  }
  return { lost, segments, terminal, linking }
}

/**
 * A feature flagged for its success rate is not proposed again as a feature_access drop-off:
 * one opportunity per feature, with the reliability evidence.
 */
export function detectOpportunities(i: OpportunityInputs): Opportunity[] {
  const ctx = stepContext(i)
  const lowSuccess = lowSuccessCandidates(
    i.featureUsage,
    i.featureAccess,
    i.featureReasons,
    threshold(i.config, 'feature_success_rate')!,
    i.prices,
    i.range,
    new Set(i.workflows.map((w) => w.def.name)),
  )
  const flagged = new Set(lowSuccess.map((c) => c.subject))
  const dropoffs = dropoffCandidates(i.dropoffs, i.range, ctx).filter(
    (c) => !(c.evidence.type === 'feature_access' && flagged.has(`${c.evidence.feature}`)),
  )
  return rankOpportunities(
    [
      ...dropoffs,
      ...slowStepCandidates(i.workflows, i.range),
      ...institutionCandidates(
        i.connections,
        threshold(i.config, 'connection_success_rate')!,
        i.prices,
        i.range,
        ctx.linking,
      ),
      ...upsellCandidates(i.featureValue, i.upgrades, i.config.tiers, i.range),
      ...lowSuccess,
      ...journeyLeakCandidates(i.stages, i.range),
    ],
    i.config.effort,
    costAssumptions(i.config),
  )
}
