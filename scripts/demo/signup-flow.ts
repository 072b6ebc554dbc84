/**
 * A new user's way in: onboarding → identity verification → account linking. A user who
 * drops out of a step may try again in a later session; one who does not either leaves for
 * good (`gone`) or, after failing to link a bank, stays with the few manual features
 * (`unlinked`).
 */
import type { WorkflowName } from './catalog'

export type Flow =
  'onboarding' | 'identity_verification' | 'account_linking' | 'active' | 'unlinked' | 'gone'

type FlowStep = {
  workflow: WorkflowName
  page: string
  conversion: string
  /** Chance a user who dropped out tries again in a later session. */
  retry: number
  next: Flow
  gaveUp: Flow
}

export const FLOW_STEPS: Partial<Record<Flow, FlowStep>> = {
  onboarding: {
    workflow: 'onboarding',
    page: '/onboarding',
    conversion: 'onboarding_completed',
    retry: 0.5,
    next: 'identity_verification',
    gaveUp: 'gone',
  },
  identity_verification: {
    workflow: 'identity_verification',
    page: '/verify-identity',
    conversion: 'identity_verified',
    retry: 0.6,
    next: 'account_linking',
    gaveUp: 'gone',
  },
  account_linking: {
    workflow: 'account_linking',
    page: '/accounts/link',
    conversion: 'account_linked',
    retry: 0.45,
    next: 'active',
    gaveUp: 'unlinked',
  },
}
