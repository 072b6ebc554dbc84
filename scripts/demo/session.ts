/**
 * What happens inside one session: login (`identify`), the pending signup flow, bank syncs,
 * feature use, the occasional upgrade or extra bank link, and the lifecycle stages earned.
 */
import { FEATURES, PRICES, UNHEALTHY_INSTITUTION, type Tier } from './catalog'
import { BankConnections } from './bank-connections'
import { FeatureUse } from './feature-use'
import { Lifecycle } from './lifecycle'
import { pickInstitution, type Profile } from './profile'
import type { Rng } from './random'
import { FLOW_STEPS, type Flow } from './signup-flow'
import type { Device, Timeline } from './timeline'
import { runWorkflow, type RunOutcome } from './workflows'

const EXTRA_PAGES = ['/settings', '/help', '/profile', '/notifications', '/cards', '/transfers']

export type SessionWorld = {
  dayFrac: () => number
  days: number
  onUpgrade: (from: Tier, to: Tier) => void
}

export class Session {
  flow: Flow = 'onboarding'
  readonly banks: BankConnections
  private readonly stages: Lifecycle
  private readonly features: FeatureUse
  private budgetReady = false
  private extraLink: boolean
  /** The session (count) in which an existing link expires and must be re-authenticated. */
  private relinkAt: number | null = null
  private upgradeTo: Tier | null
  /** Returning sessions so far. */
  private visits = 0

  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
    private readonly profile: Profile,
    private readonly world: SessionWorld,
  ) {
    this.banks = new BankConnections(tl, rng, world.dayFrac, world.days)
    this.stages = new Lifecycle(tl, rng)
    this.features = new FeatureUse(tl, rng, (path) => this.page(path))
    this.upgradeTo = profile.upgradeTo
    this.extraLink = rng.chance(profile.existing ? 0.12 : 0.04)
    if (profile.existing) {
      this.flow = 'active'
      this.banks.linked.push(profile.institution)
      if (rng.chance(0.3)) this.banks.linked.push(pickInstitution(rng, this.banks.linked))
      this.budgetReady = true
      this.stages.knownUser(profile.features)
      // Bank consents expire (open-banking renewals, changed passwords); the flaky bank's
      // connections break far more often, and every re-link goes through MFA again.
      const flaky = profile.institution === UNHEALTHY_INSTITUTION
      if (rng.chance(flaky ? 0.5 : 0.1)) this.relinkAt = rng.int(1, 10)
    }
  }

  /** A visit before signing up: the marketing pages, anonymous until `identify`. */
  visit(start: number, device: Device): void {
    this.tl.startSession(start, device)
    this.page('/')
    this.stages.reach('awareness')
    this.page('/features')
    if (this.rng.chance(0.5)) {
      this.page(this.rng.pick(['/features/budgeting', '/features/investing', '/security']))
    }
  }

  signUp(start: number, device: Device, paid: () => void): void {
    this.tl.startSession(start, device)
    if (!this.stages.has('awareness')) {
      this.page('/')
      this.stages.reach('awareness')
    }
    this.page('/pricing')
    this.stages.reach('consideration')
    this.page('/signup')
    this.tl.wait(this.rng.logNormal(70, 0.4))
    this.tl.tier = this.profile.tier
    this.tl.emit('identify', { props: { method: 'signup' } })
    this.tl.emit('conversion', { name: 'signup' })
    paid()
    this.stages.reach('onboarding')
    this.continueFlow()
    if (this.flow === 'active' || this.flow === 'unlinked') this.useApp()
  }

  /** A returning session; `live` ones (in the app right now) go straight into a workflow. */
  run(start: number, device: Device, live = false): void {
    this.tl.startSession(start, device)
    const method = this.rng.pick(['password', 'biometric', 'biometric'])
    this.tl.emit('identify', { props: { method } })
    this.page(this.flow === 'active' || this.flow === 'unlinked' ? '/dashboard' : '/')
    if (!this.visits++ && this.profile.existing) this.stages.announce()
    if (live) return this.liveRun()
    if (this.flow === 'unlinked' && this.rng.chance(0.08)) this.flow = 'account_linking'
    this.continueFlow()
    if (this.flow === 'active' || this.flow === 'unlinked') this.useApp()
  }

  /** Why a user leaves: a bank that keeps failing them, else what users usually say. */
  churnReason(paid: boolean): string {
    if (this.banks.failures > 2 && this.rng.chance(0.7)) return 'sync_problems'
    return this.rng.weighted({
      too_expensive: paid ? 3 : 0.2,
      missing_features: 2,
      switching_bank: 2,
      not_using: 3,
    })
  }

  /** Says goodbye: cancels the paid plan or closes the account. */
  leave(start: number, device: Device, paid: boolean, reason: string): void {
    this.tl.startSession(start, device)
    this.tl.emit('identify', { props: { method: 'password' } })
    this.page('/settings')
    this.page(paid ? '/settings/plan/cancel' : '/settings/close-account')
    this.tl.emit('stage', { stage: 'churn', journey: 'lifecycle', reason })
  }

  /** Onboarding → identity verification → account linking, as far as the user gets today. */
  private continueFlow(): void {
    for (let step = FLOW_STEPS[this.flow]; step; step = FLOW_STEPS[this.flow]) {
      this.page(step.page)
      const outcome =
        step.workflow === 'account_linking'
          ? this.linkAccount(this.profile.institution)
          : runWorkflow(this.tl, this.rng, step.workflow, this.ctx()).outcome
      if (outcome !== 'completed') {
        if (!this.rng.chance(step.retry)) this.flow = step.gaveUp
        return
      }
      this.tl.emit('conversion', { name: step.conversion })
      this.flow = step.next
    }
  }

  /** A linking run, reported also as a use of the account_linking feature. */
  private linkAccount(institution: string): RunOutcome {
    const t0 = this.tl.t
    const { outcome, step, reason } = runWorkflow(
      this.tl,
      this.rng,
      'account_linking',
      { ...this.ctx(), institution },
      (step, status) => {
        if (step === 'connect') this.banks.connect(institution, 'link', status === 'completed')
      },
    )
    this.tl.emit('feature', {
      feature: 'account_linking',
      name: 'link_account',
      status: outcome,
      value: Math.round((this.tl.t - t0) / 100) / 10,
      institution,
      ...(reason ? { reason } : {}),
      ...(step ? { props: { step } } : {}),
    })
    if (outcome === 'completed' && !this.banks.linked.includes(institution)) {
      this.banks.linked.push(institution)
    }
    if (this.rng.chance(0.2)) {
      this.features.rate('account_linking', outcome === 'completed' ? 4 : 1.8)
    }
    return outcome
  }

  /**
   * The regular part of a session: syncs, features, a page or two, maybe an upgrade. Without
   * a linked bank there is little to see: a look at the dashboard, and perhaps a new try.
   */
  private useApp(): void {
    if (this.flow === 'unlinked') return this.extraPages()
    if (this.relinkAt !== null && this.visits >= this.relinkAt) this.relink()
    if (this.flow !== 'active') return
    const sync = this.banks.syncAll((path) => this.page(path))
    if (sync) {
      this.stages.used('transaction_sync')
      if (this.rng.chance(0.02)) this.features.rate('transaction_sync', sync.ok ? 4.1 : 2)
    }
    if (this.extraLink && this.rng.chance(0.1)) {
      this.extraLink = false
      this.page('/accounts/link')
      this.linkAccount(pickInstitution(this.rng, this.banks.linked))
    }
    for (const feature of this.profile.features) {
      if (!this.stages.discovered(feature) || !this.rng.chance(FEATURES[feature].perSession)) {
        continue
      }
      if (feature === 'budget_tracking' && !this.setUpBudget()) continue
      this.features.use(feature)
      this.stages.used(feature)
    }
    if (this.upgradeTo && this.stages.sessions >= 2 && this.rng.chance(0.2)) this.upgrade()
    this.extraPages()
    this.stages.afterSession()
  }

  /** The expired link: re-authenticate, or lose the bank (and, with no bank left, the app). */
  private relink(): void {
    this.relinkAt = null
    const institution = this.banks.linked[0]
    this.banks.connect(institution, 'sync', false, 'credentials_expired')
    this.page('/accounts/relink')
    if (this.linkAccount(institution) === 'completed') return
    this.banks.linked.shift()
    if (!this.banks.linked.length) this.flow = this.rng.chance(0.5) ? 'account_linking' : 'unlinked'
  }

  private extraPages(): void {
    for (let i = this.rng.poisson(0.6); i > 0; i--) this.page(this.rng.pick(EXTRA_PAGES))
    if (this.rng.chance(0.35)) {
      const device = this.tl.device
      const median = device === 'mobile' ? 1400 : device === 'tablet' ? 1200 : 850
      const value = Math.round(this.rng.logNormal(median, 0.4))
      this.tl.emit('metric', { name: 'app_load_ms', value })
    }
  }

  /** The first time a user opens budgets they set one up; a user who gives up may stop. */
  private setUpBudget(): boolean {
    if (this.budgetReady) return true
    this.page('/budgets/setup')
    if (runWorkflow(this.tl, this.rng, 'budget_setup', this.ctx()).outcome === 'completed') {
      this.tl.emit('conversion', { name: 'budget_created' })
      return (this.budgetReady = true)
    }
    if (!this.rng.chance(0.5)) this.profile.features.delete('budget_tracking')
    return false
  }

  private upgrade(): void {
    const from = this.tl.tier ?? 'free'
    const to = this.upgradeTo!
    this.page('/settings/plan')
    const run = runWorkflow(this.tl, this.rng, 'plan_upgrade', { ...this.ctx(), tier: from })
    if (run.outcome !== 'completed') {
      if (!this.rng.chance(0.4)) this.upgradeTo = null
      return
    }
    this.upgradeTo = null
    this.tl.tier = to
    this.tl.emit('conversion', { name: 'upgraded', props: { from, to, price: PRICES[to] } })
    this.world.onUpgrade(from, to)
  }

  /** Someone in the app right now, part-way through a workflow. */
  private liveRun(): void {
    if (this.flow !== 'active') return this.continueFlow()
    const pick = this.rng.int(0, this.tl.tier === 'premium' ? 1 : 2)
    if (pick === 0) {
      this.page('/accounts/link')
      this.linkAccount(pickInstitution(this.rng, this.banks.linked))
    } else if (pick === 1) {
      this.page('/budgets/setup')
      runWorkflow(this.tl, this.rng, 'budget_setup', this.ctx())
    } else {
      this.upgradeTo ??= this.tl.tier === 'plus' ? 'premium' : 'plus'
      this.upgrade()
    }
  }

  private page(path: string): void {
    this.tl.emit('page', { path })
    this.tl.wait(this.rng.between(1, 6))
  }

  private ctx() {
    return { dayFrac: this.world.dayFrac(), days: this.world.days, tier: this.tl.tier }
  }
}
