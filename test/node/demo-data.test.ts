/**
 * The demo generator's story, checked from the raw events with plain loops (nothing from
 * scripts/demo or worker/analysis does the counting), so the planted problems are known to
 * be in the data whatever the insights code makes of them.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { demoEventChunks, generateDemo } from '../../scripts/demo/generate'
import { DEFAULT_FEATURES, EventSchema, type EventRow, type SiteConfig } from '../../worker/schemas'

const NOW = Date.UTC(2026, 5, 15, 14, 30)
const DAY = 86_400_000
let config: SiteConfig
let events: EventRow[]

beforeAll(() => {
  ;({ config, events } = generateDemo({ siteId: 'demo-bank', now: NOW }))
})

function count<K>(map: Map<K, number>, key: K, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by)
}

/** Step drop rates per `workflow/step`, in-progress runs left out; a `completed` step event
 * means the user moved on to the next step. */
function stepDropRates() {
  const runs = new Map<string, EventRow[]>()
  for (const e of events) {
    if (e.type !== 'step') continue
    if (!runs.has(e.run!)) runs.set(e.run!, [])
    runs.get(e.run!)!.push(e)
  }
  const reached = new Map<string, number>()
  for (const run of runs.values()) {
    const wf = config.workflows.find((w) => w.name === run[0].workflow)!
    const last = run[run.length - 1]
    const done = run.some((e) => e.step === 'complete' && e.status === 'completed')
    const quiet = NOW - last.ts >= wf.conversion_window_s * 1000
    if (!done && last.status !== 'abandoned' && !quiet) continue
    const steps = new Set<string>()
    for (const e of run) {
      steps.add(e.step!)
      const i = wf.steps.indexOf(e.step!)
      if (e.status === 'completed' && i + 1 < wf.steps.length) steps.add(wf.steps[i + 1])
    }
    for (const s of steps) count(reached, `${wf.name}/${s}`)
  }
  const rates = new Map<string, { entered: number; rate: number }>()
  for (const wf of config.workflows) {
    for (let i = 0; i + 1 < wf.steps.length; i++) {
      const entered = reached.get(`${wf.name}/${wf.steps[i]}`) ?? 0
      const next = reached.get(`${wf.name}/${wf.steps[i + 1]}`) ?? 0
      if (entered) rates.set(`${wf.name}/${wf.steps[i]}`, { entered, rate: 1 - next / entered })
    }
  }
  return rates
}

function connectionSuccess(filter: (e: EventRow) => boolean = () => true) {
  const all = new Map<string, number>()
  const ok = new Map<string, number>()
  for (const e of events) {
    if (e.type !== 'connection' || !filter(e)) continue
    count(all, e.institution!)
    if (e.status === 'completed') count(ok, e.institution!)
  }
  return new Map([...all].map(([inst, n]) => [inst, (ok.get(inst) ?? 0) / n]))
}

describe('demo data', () => {
  it('is the same for the same seed and options', () => {
    const again = generateDemo({ siteId: 'demo-bank', now: NOW }).events
    expect(again.length).toBe(events.length)
    let differing = 0
    for (let i = 0; i < events.length; i++) {
      if (JSON.stringify(again[i]) !== JSON.stringify(events[i])) differing++
    }
    expect(differing).toBe(0)
  })

  it('tells a different story with a different seed', () => {
    const a = generateDemo({ siteId: 's', now: NOW, users: 50, seed: 1 }).events
    const b = generateDemo({ siteId: 's', now: NOW, users: 50, seed: 2 }).events
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b))
  })

  it('streams in chunks exactly the events it returns at once', () => {
    const opts = { siteId: 's', now: NOW, users: 120 }
    const chunks = [...demoEventChunks(opts, 1000)]
    expect(chunks.slice(0, -1).every((c) => c.length === 1000)).toBe(true)
    expect(chunks.flat()).toEqual(generateDemo(opts).events)
  })

  it('holds roughly 150k–300k events', () => {
    expect(events.length).toBeGreaterThan(150_000)
    expect(events.length).toBeLessThan(300_000)
  })

  it('passes EventSchema, every event, with features from config.features', () => {
    let invalid = 0
    for (const { site_id, received_at, device, props, ...wire } of events) {
      const parsed = EventSchema.safeParse(props ? { ...wire, props: JSON.parse(props) } : wire)
      if (!parsed.success) invalid++
      if (wire.feature && !config.features.includes(wire.feature)) invalid++
      if (site_id !== 'demo-bank' || received_at < wire.ts || received_at > NOW) invalid++
      if (device && !['desktop', 'mobile', 'tablet'].includes(device)) invalid++
    }
    expect(invalid).toBe(0)
  })

  it('keeps ids unique and every event inside the 30-day window', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    expect(events.every((e) => e.ts >= NOW - 30 * DAY && e.ts <= NOW)).toBe(true)
  })

  it('has at least 2,000 users over free, plus and premium, about 65/25/10', () => {
    const tierOf = new Map<string, string>()
    for (const e of events) if (e.tier) tierOf.set(e.uid!, e.tier)
    expect(tierOf.size).toBeGreaterThanOrEqual(2000)
    const tiers = new Map<string, number>()
    for (const t of tierOf.values()) count(tiers, t)
    expect(tiers.get('free')! / tierOf.size).toBeCloseTo(0.65, 1)
    expect(tiers.get('plus')! / tierOf.size).toBeCloseTo(0.25, 1)
    expect(tiers.get('premium')! / tierOf.size).toBeCloseTo(0.1, 1)
    expect(config.tiers).toEqual([
      { name: 'free', monthly_price: 0 },
      { name: 'plus', monthly_price: 9.99 },
      { name: 'premium', monthly_price: 19.99 },
    ])
  })

  it('uses all ten default features, with feedback on each', () => {
    const used = new Set(events.filter((e) => e.type === 'feature').map((e) => e.feature))
    const rated = new Set(events.filter((e) => e.type === 'feedback').map((e) => e.feature))
    expect([...used].sort()).toEqual([...DEFAULT_FEATURES].sort())
    expect([...rated].sort()).toEqual([...DEFAULT_FEATURES].sort())
  })

  it('runs all five configured workflows, each with its drop-off type', () => {
    const types = Object.fromEntries(config.workflows.map((w) => [w.name, w.dropoff_type]))
    expect(types).toEqual({
      account_linking: 'integration',
      identity_verification: 'verification',
      plan_upgrade: 'payment',
      onboarding: 'onboarding',
      budget_setup: 'configuration',
    })
    const run = new Set(events.filter((e) => e.type === 'step').map((e) => e.workflow))
    expect([...run].sort()).toEqual(Object.keys(types).sort())
  })

  it('connects at least 8 institutions, exactly one of them below 90% success', () => {
    const success = connectionSuccess()
    expect(success.size).toBeGreaterThanOrEqual(8)
    const unhealthy = [...success].filter(([, rate]) => rate < 0.9)
    expect(unhealthy.map(([inst]) => inst)).toEqual(['northwind_credit_union'])
    expect(unhealthy[0][1]).toBeGreaterThan(0.74)
    expect(unhealthy[0][1]).toBeLessThan(0.82)
    for (const [inst, rate] of success)
      if (inst !== unhealthy[0][0]) expect(rate).toBeGreaterThan(0.97)
  })

  it('has the unhealthy institution slow (p95 > 6 s) and getting worse in the last days', () => {
    const latencies = events
      .filter((e) => e.type === 'connection' && e.institution === 'northwind_credit_union')
      .map((e) => e.value!)
      .sort((a, b) => a - b)
    expect(latencies[Math.floor(latencies.length * 0.95)]).toBeGreaterThan(6000)
    const early = connectionSuccess((e) => e.ts < NOW - 10 * DAY).get('northwind_credit_union')!
    const late = connectionSuccess((e) => e.ts >= NOW - 3 * DAY).get('northwind_credit_union')!
    expect(late).toBeLessThan(early - 0.1)
  })

  it('drops most at account_linking verify, far above any other step', () => {
    const rates = [...stepDropRates()].sort((a, b) => b[1].rate - a[1].rate)
    expect(rates[0][0]).toBe('account_linking/verify')
    expect(rates[0][1].rate).toBeGreaterThan(2 * rates[1][1].rate)
  })

  it('gives mfa_timeout as the top reason at verify, concentrated at the unhealthy bank', () => {
    const reasons = new Map<string, number>()
    const northwind = { all: 0, bad: 0 }
    const others = { all: 0, bad: 0 }
    for (const e of events) {
      if (e.workflow !== 'account_linking' || e.step !== 'verify') continue
      const side = e.institution === 'northwind_credit_union' ? northwind : others
      side.all++
      if (e.status === 'failed' || e.status === 'abandoned') {
        side.bad++
        count(reasons, e.reason ?? 'none')
      }
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1])
    expect(top[0][0]).toBe('mfa_timeout')
    expect(top[0][1]).toBeGreaterThan(2 * top[1][1])
    expect(northwind.bad / northwind.all).toBeGreaterThan(2 * (others.bad / others.all))
  })

  it('leaves some workflow runs in progress at now', () => {
    const lastOf = new Map<string, EventRow>()
    for (const e of events) if (e.type === 'step') lastOf.set(e.run!, e)
    const open = [...lastOf.values()].filter(
      (e) => e.step !== 'complete' && e.status !== 'abandoned' && e.ts > NOW - 30 * 60_000,
    )
    expect(open.length).toBeGreaterThanOrEqual(5)
  })

  it('has premium users adopting investment_tracking far more than plus users (upsell)', () => {
    const users = new Map<string, Set<string>>()
    const adopters = new Map<string, Set<string>>()
    for (const e of events) {
      if (!e.tier) continue
      if (!users.has(e.tier)) users.set(e.tier, new Set())
      users.get(e.tier)!.add(e.uid!)
      if (e.type !== 'feature' || e.feature !== 'investment_tracking') continue
      if (!adopters.has(e.tier)) adopters.set(e.tier, new Set())
      adopters.get(e.tier)!.add(e.uid!)
    }
    const adoption = (t: string) => adopters.get(t)!.size / users.get(t)!.size
    expect(adoption('premium')).toBeGreaterThan(0.4)
    expect(adoption('plus')).toBeLessThan(0.1)
  })

  it('reports revenue from the server only, in USD', () => {
    const revenue = events.filter((e) => e.type === 'revenue')
    const names = new Set(revenue.map((e) => e.name))
    expect(names).toEqual(new Set(['subscription', 'upgrade', 'tax_report', 'credit_report']))
    expect(revenue.every((e) => e.currency === 'USD' && e.value! > 0 && !e.sid && !e.device)).toBe(
      true,
    )
  })

  it('scales with users and days', () => {
    const small = generateDemo({ siteId: 's', now: NOW, users: 200, days: 7 }).events
    expect(new Set(small.map((e) => e.uid)).size).toBeGreaterThan(180)
    expect(small.every((e) => e.ts >= NOW - 7 * DAY && e.ts <= NOW)).toBe(true)
  })
})
