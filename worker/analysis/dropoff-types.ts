/**
 * The drop-off type of a workflow (DESIGN §7.6): the one its config declares, else inferred
 * from its name. The rules run in this order and the first whose pattern appears anywhere in
 * the lower-cased name wins; a name matching none is a plain `workflow_step`.
 */
import type { DROPOFF_TYPES } from '../schemas'

export type DropoffType = (typeof DROPOFF_TYPES)[number]

export const INFERENCE_RULES: [DropoffType, RegExp][] = [
  ['payment', /pay|checkout|billing|purchase|subscri|upgrade|plan_change|card/],
  ['verification', /verif|kyc|identity|id_check|mfa|2fa|otp|authenticat/],
  ['integration', /link|connect|integrat|sync|import|aggregat|bank/],
  ['onboarding', /onboard|sign_?up|register|registration|welcome|get_started|activation/],
  ['configuration', /config|setting|setup|set_up|preference|customi|budget|alert|notification/],
]

export function inferDropoffType(workflow: string): DropoffType {
  const name = workflow.toLowerCase()
  for (const [type, pattern] of INFERENCE_RULES) if (pattern.test(name)) return type
  return 'workflow_step'
}
