import { describe, expect, it } from 'vitest'
import { call } from '../helpers'
import { BASE, getJson, seed, siteWith, type Ev } from './seed'

/**
 * alpha_bank: 100 link attempts by 100 users, latencies 100, 200, … 10,000 ms; 81 completed,
 * 19 failed — 5 invalid_credentials (user), 6 institution_error, 3 aggregator_error,
 * 2 app_error, 3 without a reason (unknown).
 * beta_bank: 10 syncs by 10 users, all completed, no latency: too few to judge.
 * budget_tracking: 40 uses by 40 other users, 38 completed and 2 failed.
 */
function events(): Ev[] {
  const reasons = [
    ...Array(5).fill('invalid_credentials'),
    ...Array(6).fill('institution_error'),
    ...Array(3).fill('aggregator_error'),
    ...Array(2).fill('app_error'),
    ...Array(3).fill(undefined),
  ]
  const alpha: Ev[] = Array.from({ length: 100 }, (_, i) => ({
    type: 'connection',
    ts: BASE + i * 1000,
    uid: `a${i}`,
    tier: 'free',
    institution: 'alpha_bank',
    name: 'link',
    value: (i + 1) * 100,
    ...(i < 81 ? { status: 'completed' } : { status: 'failed', reason: reasons[i - 81] }),
  }))
  const beta: Ev[] = Array.from({ length: 10 }, (_, i) => ({
    type: 'connection',
    ts: BASE + i * 1000,
    uid: `b${i}`,
    tier: 'free',
    institution: 'beta_bank',
    name: 'sync',
    status: 'completed',
  }))
  const uses: Ev[] = Array.from({ length: 40 }, (_, i) => ({
    type: 'feature',
    ts: BASE + i * 1000,
    uid: `f${i}`,
    tier: 'free',
    feature: 'budget_tracking',
    status: i < 38 ? 'completed' : 'failed',
  }))
  return [...alpha, ...beta, ...uses]
}

async function seeded() {
  const { site, read } = await siteWith()
  await seed(site, events())
  return { site, read, body: await getJson(`/v1/sites/${site.id}/performance`, read) }
}

describe('GET /v1/sites/:site/performance', () => {
  it('gives an institution its success rate with the 95% Wilson interval and a status', async () => {
    const { body } = await seeded()
    const alpha = body.by_institution.find((i: any) => i.institution === 'alpha_bank')
    // statsmodels.stats.proportion.proportion_confint(81, 100, method='wilson')
    //   → (0.722212, 0.874852)
    expect(alpha.connection_success_rate).toMatchObject({
      value: 0.81,
      n: 100,
      interval: [0.7222, 0.8749],
      status: 'critical',
      attempts: 100,
      completed: 81,
      failed: 19,
    })
    // 81 / (100 − 5 user errors); proportion_confint(81, 95, method='wilson') → (0.767714, 0.910139)
    expect(alpha.connection_success_rate.success_rate_excl_user_errors).toEqual({
      value: 0.8526,
      n: 95,
      interval: [0.7677, 0.9101],
      status: 'critical',
    })
    expect(alpha.status).toBe('critical')
  })

  it('splits the attempts into successes and error sources that sum to 1', async () => {
    const { body } = await seeded()
    const alpha = body.by_institution.find((i: any) => i.institution === 'alpha_bank')
    const split = alpha.connection_success_rate.error_split
    expect(split).toEqual({
      success: 0.81,
      user: 0.05,
      institution: 0.06,
      aggregator: 0.03,
      app: 0.02,
      unknown: 0.03,
    })
    expect(Object.values(split).reduce((a: number, b) => a + (b as number), 0)).toBeCloseTo(1, 10)
    expect(alpha.connection_success_rate.top_reasons[0]).toEqual({
      reason: 'institution_error',
      source: 'institution',
      count: 6,
      share: 0.3158,
    })
  })

  it('reads the latency percentiles of a known list exactly', async () => {
    const { body } = await seeded()
    // Nearest rank of 100, 200, … 10,000: p50 is the 50th value, p95 the 95th.
    expect(body.overall.connection_latency).toEqual({
      n: 100,
      mean_ms: 5050,
      p50_ms: 5000,
      p75_ms: 7500,
      p90_ms: 9000,
      p95_ms: 9500,
      p99_ms: 9900,
      status: 'critical', // p95 9.5 s > 6 s
    })
  })

  it('calls a rate below min_sample insufficient_data, never a guess', async () => {
    const { body } = await seeded()
    const beta = body.by_institution.find((i: any) => i.institution === 'beta_bank')
    expect(beta.connection_success_rate).toMatchObject({
      value: 1,
      n: 10,
      status: 'insufficient_data',
    })
    expect(beta.connection_latency).toBeNull()
    expect(beta.status).toBe('insufficient_data')
    // the worst first: alpha is critical
    expect(body.by_institution.map((i: any) => i.institution)).toEqual(['alpha_bank', 'beta_bank'])
  })

  it('counts failed connections and feature uses in the error rate', async () => {
    const { body } = await seeded()
    // (19 failed connections + 2 failed uses) / (110 + 40 attempts)
    expect(body.overall.error_rate).toMatchObject({
      value: 0.14,
      n: 150,
      failed: 21,
      attempts: 150,
      status: 'critical',
    })
    const budget = body.by_feature.find((f: any) => f.feature === 'budget_tracking')
    expect(budget.feature_usage).toMatchObject({
      uses: 40,
      users: 40,
      success_rate: { value: 0.95, n: 40, status: 'ok' },
    })
  })

  it('measures sync frequency and freshness per connected user', async () => {
    const { body } = await seeded()
    const beta = body.by_institution.find((i: any) => i.institution === 'beta_bank')
    expect(beta.data_sync_frequency).toMatchObject({
      successful_syncs: 10,
      connected_users: 10,
      syncs_per_user_day: Number((10 / 10 / 31).toFixed(3)),
    })
    // Every success was ten days ago: delayed (> 2 days), not stopped (> 14 days).
    const f = beta.data_sync_frequency.freshness
    expect(f.n).toBe(10)
    expect(f.delayed.value).toBe(1)
    expect(f.stopped.value).toBe(0)
    expect(f.p50_s).toBeGreaterThan(9.5 * 86_400)
    expect(body.overall.data_sync_frequency.connected_users).toBe(91) // 81 alpha + 10 beta
  })

  it('gives engagement, revenue and upgrade conversion of each institution’s users', async () => {
    const { body } = await seeded()
    expect(body.overall.user_engagement).toMatchObject({ active_users: 150, sessions_per_user: 0 })
    const alpha = body.by_institution.find((i: any) => i.institution === 'alpha_bank')
    expect(alpha.user_engagement.active_users).toBe(100)
    expect(alpha.revenue_impact).toMatchObject({
      users: 100,
      revenue: 0,
      others_revenue_per_user: 0,
    })
  })

  it('has a series point for every hour of a 7-day period and a day of a 30-day one', async () => {
    const { site, read, body } = await seeded()
    expect(body.granularity).toBe('day')
    expect(body.series).toHaveLength(31)
    const day = body.series.find((p: any) => p.connection_attempts > 0)
    expect(day).toMatchObject({
      connection_attempts: 110,
      connection_success_rate: 0.8273, // (81 + 10) / 110
      connection_latency_p95_ms: 9500,
    })
    const week = await getJson(`/v1/sites/${site.id}/performance?period=7d`, read)
    expect(week.granularity).toBe('hour')
    expect(week.series.length).toBeGreaterThan(7 * 24)
    expect(week.series.length).toBeLessThanOrEqual(8 * 24)
  })

  it('filters by institution, and the overall then is that institution', async () => {
    const { site, read } = await seeded()
    const only = await getJson(`/v1/sites/${site.id}/performance?institution=beta_bank`, read)
    expect(only.by_institution.map((i: any) => i.institution)).toEqual(['beta_bank'])
    expect(only.overall.connection_success_rate.n).toBe(10)
    expect(only.overall.user_engagement.active_users).toBe(10)
  })

  it('answers 400 naming the field for a bad filter', async () => {
    const { site, read } = await siteWith()
    const res = await call(`/v1/sites/${site.id}/performance?institution=not%20a%20slug`, {
      token: read,
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.message).toMatch(/^institution/)
  })

  it('judges an institution by its connections, not by feature uses that name it', async () => {
    const { site, read } = await siteWith()
    const at = (i: number) => BASE + i * 1000
    await seed(site, [
      ...Array.from({ length: 40 }, (_, i): Ev => ({
        type: 'connection',
        ts: at(i),
        uid: `g${i}`,
        institution: 'gamma_bank',
        status: 'completed',
      })),
      ...Array.from({ length: 40 }, (_, i): Ev => ({
        type: 'feature',
        ts: at(i),
        uid: `g${i}`,
        institution: 'gamma_bank',
        feature: 'transaction_sync',
        status: 'failed',
      })),
    ])
    const body = await getJson(`/v1/sites/${site.id}/performance`, read)
    const [gamma] = body.by_institution
    expect(gamma).toMatchObject({ institution: 'gamma_bank', status: 'ok' })
    expect(gamma.error_rate).toMatchObject({ value: 0.5, status: 'critical' })
    const [sync] = body.by_feature
    expect(sync).toMatchObject({ feature: 'transaction_sync', status: 'critical' })
  })

  it('refuses a from–to over ten years with a 400 instead of building it', async () => {
    const { site, read } = await siteWith()
    const res = await call(`/v1/sites/${site.id}/performance?from=0000-01-01&to=9999-12-31`, {
      token: read,
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.message).toMatch(/at most 3660 days/)
  })

  it('maps a reason to the source the site configured', async () => {
    const { site, read } = await siteWith({ error_sources: { institution_error: 'aggregator' } })
    await seed(site, events())
    const body = await getJson(`/v1/sites/${site.id}/performance?refresh=1`, read)
    const alpha = body.by_institution.find((i: any) => i.institution === 'alpha_bank')
    expect(alpha.connection_success_rate.error_split).toMatchObject({
      institution: 0,
      aggregator: 0.09,
    })
  })
})
