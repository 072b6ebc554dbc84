/**
 * The funnel builder's model (DESIGN §7.3): steps over any event type, a window, an order.
 * The definition lives in the URL (`?funnel=…`) so a funnel can be shared. Pure, tested in node.
 */

export const FUNNEL_TYPES = [
  'page',
  'feature',
  'step',
  'stage',
  'conversion',
  'connection',
  'feedback',
  'revenue',
] as const
export type FunnelType = (typeof FUNNEL_TYPES)[number]
export const WINDOWS = ['5m', '30m', '1h', '1d', '7d', '14d', '30d', '90d'] as const
export const ORDERS = ['ordered', 'strict', 'any'] as const
export const BREAKDOWNS = ['tier', 'device', 'institution'] as const

/** What narrows a step; each type offers the fields that make sense for it. */
export const STEP_FIELDS = ['feature', 'workflow', 'step', 'stage', 'name', 'path'] as const
export type StepField = (typeof STEP_FIELDS)[number]
export const FIELDS_OF: Record<FunnelType, StepField[]> = {
  page: ['path'],
  feature: ['feature', 'name'],
  step: ['workflow', 'step'],
  stage: ['stage'],
  conversion: ['name'],
  connection: [],
  feedback: ['feature'],
  revenue: [],
}

export type FunnelStep = { type: FunnelType } & Partial<Record<StepField, string>>
export type FunnelDef = {
  steps: FunnelStep[]
  window: (typeof WINDOWS)[number]
  order: (typeof ORDERS)[number]
  by: 'user' | 'session'
  breakdown?: (typeof BREAKDOWNS)[number]
}

export const MIN_STEPS = 2
export const MAX_STEPS = 10

export const DEFAULT_FUNNEL: FunnelDef = {
  steps: [
    { type: 'stage', stage: 'onboarding' },
    { type: 'stage', stage: 'feature_discovery' },
    { type: 'stage', stage: 'feature_usage' },
  ],
  window: '14d',
  order: 'ordered',
  by: 'user',
}

const has = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v)

/** A step with only the fields its type allows, empty ones left out. */
export function cleanStep(step: FunnelStep): FunnelStep {
  const out: FunnelStep = { type: step.type }
  for (const f of FIELDS_OF[step.type]) {
    const v = step[f]?.trim()
    if (v) out[f] = v
  }
  return out
}

/** Reads `?funnel=`; anything malformed gives the default funnel. */
export function decodeFunnel(param: string | undefined): FunnelDef {
  if (!param) return DEFAULT_FUNNEL
  try {
    const raw = JSON.parse(param) as Partial<FunnelDef>
    const steps = (Array.isArray(raw.steps) ? raw.steps : [])
      .filter((s): s is FunnelStep => !!s && has(FUNNEL_TYPES, (s as FunnelStep).type))
      .slice(0, MAX_STEPS)
      .map((s) => {
        const step: FunnelStep = { type: s.type }
        for (const f of STEP_FIELDS) if (typeof s[f] === 'string') step[f] = s[f]
        return cleanStep(step)
      })
    if (steps.length < MIN_STEPS) return DEFAULT_FUNNEL
    const def: FunnelDef = {
      steps,
      window: has(WINDOWS, raw.window) ? raw.window : DEFAULT_FUNNEL.window,
      order: has(ORDERS, raw.order) ? raw.order : DEFAULT_FUNNEL.order,
      by: raw.by === 'session' ? 'session' : 'user',
    }
    if (has(BREAKDOWNS, raw.breakdown)) def.breakdown = raw.breakdown
    return def
  } catch {
    return DEFAULT_FUNNEL
  }
}

export function encodeFunnel(def: FunnelDef): string {
  return JSON.stringify({ ...def, steps: def.steps.map(cleanStep) })
}

/** The request body for `POST /v1/sites/:site/funnel`. */
export function funnelBody(def: FunnelDef): FunnelDef {
  const body: FunnelDef = { ...def, steps: def.steps.map(cleanStep) }
  if (!body.breakdown) delete body.breakdown
  return body
}

/** Why the funnel cannot be run yet, or null. */
export function funnelProblem(def: FunnelDef): string | null {
  if (def.steps.length < MIN_STEPS) return `A funnel needs at least ${MIN_STEPS} steps.`
  if (def.steps.length > MAX_STEPS) return `A funnel has at most ${MAX_STEPS} steps.`
  const i = def.steps.findIndex((s) => s.type === 'step' && !s.workflow?.trim())
  if (i >= 0) return `Step ${i + 1}: choose a workflow.`
  return null
}

/** A step in words: "stage onboarding", "step account_linking › verify", "any page". */
export function describeStep(step: { type: string } & Partial<Record<StepField, string>>): string {
  const fields = FIELDS_OF[step.type as FunnelType] ?? STEP_FIELDS
  const v = (f: StepField) => step[f]?.trim()
  if (step.type === 'step') {
    return v('step')
      ? `step ${v('workflow') ?? '?'} › ${v('step')}`
      : `any step of ${v('workflow') ?? '?'}`
  }
  const parts = fields.filter((f) => v(f)).map((f) => v(f))
  return parts.length ? `${step.type} ${parts.join(' › ')}` : `any ${step.type}`
}
