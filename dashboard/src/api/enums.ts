/**
 * The few wire-format lists the dashboard needs at run time. worker/schemas.ts holds them next
 * to zod, which must stay out of the bundle, so they are repeated here and the compiler checks
 * that both sides list exactly the same values.
 */
import type {
  DROPOFF_TYPES as WireDropoffTypes,
  STAGES as WireStages,
} from '../../../worker/schemas'

export const STAGES = [
  'awareness',
  'consideration',
  'onboarding',
  'feature_discovery',
  'feature_usage',
  'advanced_usage',
  'advocacy',
  'churn',
] as const

export const DROPOFF_TYPES = [
  'onboarding',
  'feature_access',
  'workflow_step',
  'payment',
  'verification',
  'configuration',
  'integration',
] as const

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameStages: Same<(typeof STAGES)[number], (typeof WireStages)[number]> = true
const sameDropoffTypes: Same<(typeof DROPOFF_TYPES)[number], (typeof WireDropoffTypes)[number]> =
  true
void sameStages
void sameDropoffTypes
