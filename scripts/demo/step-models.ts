/**
 * How each workflow step behaves: median seconds, the chance an attempt fails (and why), the
 * chance of a retry, and the chance the user gives up (and why).
 *
 * THE PLANTED PROBLEM lives in `verify` of `account_linking`: MFA codes time out, far more
 * often at the unhealthy institution, and worse over the last week.
 */
import {
  UNHEALTHY_INSTITUTION,
  institutionHealth,
  unhealthyDecline,
  type Tier,
  type WorkflowName,
} from './catalog'

type Weights = Record<string, number>
export type StepModel = {
  seconds: number
  /** Median seconds of a failed attempt, when failing takes its own time (a code expiring). */
  failSeconds?: number
  fail?: number
  failReasons?: Weights
  retry?: number
  abandon?: number
  abandonReasons?: Weights
}
export type RunContext = { institution?: string; dayFrac: number; days: number; tier?: Tier }

const CLOSED: Weights = { closed_modal: 1 }

function accountLinking(step: string, ctx: RunContext): StepModel {
  const inst = ctx.institution!
  const health = institutionHealth(inst, ctx.dayFrac, ctx.days)
  const unhealthy = inst === UNHEALTHY_INSTITUTION
  switch (step) {
    case 'connect':
      return {
        seconds: 35,
        fail: (1 - health.success) * 0.8 + 0.01,
        failReasons: { institution_error: 0.7, invalid_credentials: 0.3 },
        retry: 0.6,
        abandon: 0.03,
        abandonReasons: { closed_modal: 0.7, institution_not_listed: 0.3 },
      }
    case 'verify': {
      const decline = unhealthyDecline(ctx.dayFrac, ctx.days)
      return unhealthy
        ? {
            seconds: 80,
            failSeconds: 150,
            fail: 0.55 + 0.15 * decline,
            failReasons: { mfa_timeout: 0.8, institution_error: 0.12, invalid_code: 0.08 },
            retry: 0.4,
            abandon: 0.06,
            abandonReasons: { closed_modal: 0.6, mfa_not_received: 0.4 },
          }
        : {
            seconds: 45,
            failSeconds: 120,
            fail: 0.22,
            failReasons: { mfa_timeout: 0.5, invalid_code: 0.35, institution_error: 0.15 },
            retry: 0.45,
            abandon: 0.035,
            abandonReasons: { closed_modal: 0.6, mfa_not_received: 0.4 },
          }
    }
    default:
      return { seconds: 4 }
  }
}

export const MODELS: Record<WorkflowName, (step: string, ctx: RunContext) => StepModel> = {
  account_linking: accountLinking,
  identity_verification: (step) => IDENTITY[step] ?? { seconds: 3 },
  plan_upgrade: (step, ctx) => planUpgrade(step, ctx),
  onboarding: (step) => ONBOARDING[step] ?? { seconds: 4 },
  budget_setup: (step) => BUDGET[step] ?? { seconds: 3 },
}

const IDENTITY: Record<string, StepModel> = {
  document_upload: {
    seconds: 60,
    fail: 0.14,
    failReasons: { document_blurry: 0.6, document_expired: 0.2, unsupported_document: 0.2 },
    retry: 0.7,
    abandon: 0.03,
    abandonReasons: { camera_permission_denied: 0.5, closed_modal: 0.5 },
  },
  selfie: {
    seconds: 25,
    fail: 0.07,
    failReasons: { selfie_mismatch: 0.6, poor_lighting: 0.4 },
    retry: 0.7,
    abandon: 0.02,
    abandonReasons: CLOSED,
  },
  review: { seconds: 40, fail: 0.03, failReasons: { verification_rejected: 1 }, retry: 0 },
}

function planUpgrade(step: string, ctx: RunContext): StepModel {
  const steps: Record<string, StepModel> = {
    payment_details: {
      seconds: 70,
      fail: 0.07,
      failReasons: { card_declined: 0.7, payment_timeout: 0.3 },
      retry: 0.5,
      abandon: ctx.tier === 'free' ? 0.05 : 0.03,
      abandonReasons: { price_too_high: 0.5, closed_modal: 0.5 },
    },
    confirm: { seconds: 10, abandon: 0.03, abandonReasons: { changed_mind: 1 } },
  }
  return steps[step] ?? { seconds: 5 }
}

const ONBOARDING: Record<string, StepModel> = {
  profile: {
    seconds: 80,
    abandon: 0.07,
    abandonReasons: { too_many_fields: 0.6, closed_modal: 0.3, session_expired: 0.1 },
  },
  preferences: {
    seconds: 35,
    abandon: 0.04,
    abandonReasons: { too_many_fields: 0.5, closed_modal: 0.5 },
  },
}

const BUDGET: Record<string, StepModel> = {
  categories: {
    seconds: 60,
    abandon: 0.05,
    abandonReasons: { unclear_categories: 0.6, closed_modal: 0.4 },
  },
  limits: {
    seconds: 90,
    abandon: 0.06,
    abandonReasons: { too_many_fields: 0.6, closed_modal: 0.4 },
  },
  review: { seconds: 20, abandon: 0.02, abandonReasons: CLOSED },
}
