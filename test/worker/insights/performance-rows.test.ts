/**
 * /performance's reads since migrations/0020 — latency buckets as rows of rollup_perf_buckets,
 * users grouped through indexes in their grouping's order — against the statements they
 * replaced (performance-old-sql.ts: json_each over `hist`, a window over uid) on a generated
 * site: the same rows, so the same percentiles, series and answer.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { performanceReport } from '../../../worker/analysis/performance/report'
import { performanceSeries } from '../../../worker/analysis/performance/series'
import { errorSources } from '../../../worker/analysis/performance/error-sources'
import { seeded } from '../../../worker/analysis/predict/random'
import {
  histSql,
  performanceRows,
  readsInOrder,
  segmentsSql,
  seriesSql,
  type PerfFilters,
} from '../../../worker/db/insights/performance'
import { SiteConfigSchema } from '../../../worker/schemas'
import { OLD_DAY_LATENCY_SQL, OLD_HIST_SQL, oldSegmentsSql } from './performance-old-sql'
import { BASE, DAY, seed, siteWith, type Ev } from './seed'

const DAYS = 12
const INSTITUTIONS = ['alpha_bank', 'beta_bank', 'gamma_cu']
const TIERS = ['free', 'plus', 'premium'] as const
const DEVICES = ['desktop', 'mobile', 'tablet'] as const
const FEATURES = ['budget_tracking', 'bill_reminders', 'goal_setting']

/**
 * 120 users over 12 days: pages in sessions, feature uses, connections and metrics with values
 * from 0 to 60 s (integers, halves, a few negative or missing), revenue, and tiers that move up
 * or down now and then, on every device.
 */
function events(): Ev[] {
  const r = seeded(13) // the same site on every run
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const out: Ev[] = []
  const start = BASE - (DAYS - 1) * DAY
  for (let u = 0; u < 120; u++) {
    let tier = pick(TIERS)
    const device = pick(DEVICES)
    for (let d = 0; d < DAYS; d++) {
      if (r() < 0.45) continue
      if (r() < 0.1) tier = pick(TIERS)
      const base = { uid: `u${u}`, tier, device: r() < 0.9 ? device : pick(DEVICES) }
      const at = (i: number) => start + d * DAY - 6 * 3600_000 + i * 61_000 + u * 7
      out.push({ type: 'page', ts: at(0), sid: `s${u}-${d}`, path: '/home', ...base })
      for (let i = 1; i < 1 + Math.floor(r() * 6); i++) {
        const value = r() < 0.05 ? -1 : r() < 0.1 ? undefined : Math.floor(r() * 120_000) / 2
        if (r() < 0.5) {
          out.push({
            type: 'connection',
            ts: at(i),
            institution: pick(INSTITUTIONS),
            name: pick(['link', 'sync', 'refresh']),
            status: pick(['completed', 'completed', 'failed', 'abandoned'] as const),
            ...(value === undefined ? {} : { value }),
            ...base,
          })
        } else if (r() < 0.5) {
          out.push({
            type: 'metric',
            ts: at(i),
            name: pick(['connection_latency', 'app_load_ms']),
            ...(r() < 0.3 ? { institution: pick(INSTITUTIONS) } : {}),
            ...(r() < 0.2 ? { feature: pick(FEATURES) } : {}),
            value: Math.abs(value ?? 7),
            ...base,
          })
        } else {
          out.push({
            type: 'feature',
            ts: at(i),
            feature: pick(FEATURES),
            status: pick(['started', 'completed', 'failed'] as const),
            ...base,
          })
        }
      }
      if (r() < 0.1) out.push({ type: 'revenue', ts: at(9), value: 9.99, ...base })
    }
  }
  return out
}

type Row = Record<string, unknown>
const sorted = (rows: Row[]) => rows.map((x) => JSON.stringify(x)).sort()

async function all(sql: string, params: unknown[]): Promise<Row[]> {
  const { results } = await env.DB.prepare(sql)
    .bind(...params)
    .all<Row>()
  return results
}

/** Sums of floats may differ in the last bits with the order they are added in. */
function rounded(rows: Row[]): Row[] {
  return rows.map((x) =>
    Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(6)) : v]),
    ),
  )
}

/** The day buckets and the old day latency per (day, bucket): the new rows come per kind. */
function byDayBucket(rows: Row[]): Row[] {
  const m = new Map<string, Row>()
  for (const x of rows) {
    const key = `${x.day} ${x.bucket}`
    const seen = m.get(key)
    if (seen) {
      seen.n = (seen.n as number) + (x.n as number)
      seen.s = (seen.s as number) + (x.s as number)
    } else m.set(key, { ...x })
  }
  return [...m.values()]
}

const FILTERS: PerfFilters[] = [
  {},
  { tier: 'plus' },
  { device: 'mobile' },
  { institution: 'beta_bank' },
  { feature: 'goal_setting' },
  { tier: 'premium', device: 'desktop', institution: 'alpha_bank' },
]

describe('/performance reads from rows and ordered indexes (migrations/0020)', () => {
  it('gives the rows, percentiles, series and answer of the json_each and window statements', async () => {
    const config = {
      tiers: [...TIERS].map((name, i) => ({ name, monthly_price: [0, 9.99, 19.99][i] })),
    }
    const { site } = await siteWith(config)
    await seed(site, events())
    const days = {
      from_day: new Date(BASE - (DAYS - 1) * DAY).toISOString().slice(0, 10),
      to_day: new Date(BASE).toISOString().slice(0, 10),
    }
    const tiers = SiteConfigSchema.parse(config).tiers
    const top = Math.max(...tiers.map((t) => t.monthly_price))
    const prices = tiers.flatMap((t) => [t.name, t.monthly_price])
    for (const f of FILTERS) {
      const args = [
        site.id,
        days.from_day,
        days.to_day,
        f.tier ?? null,
        f.device ?? null,
        f.feature ?? null,
        f.institution ?? null,
      ]
      const oldHist = sorted(rounded(await all(OLD_HIST_SQL, args)))
      const oldSegments = sorted(
        rounded(await all(oldSegmentsSql(tiers.length), [...args, top, ...prices])),
      )
      for (const ordered of [true, false]) {
        const hist = await all(histSql(ordered), args)
        const segments = await all(segmentsSql(tiers.length, ordered), [...args, top, ...prices])
        if (!f.feature) expect(hist.length).toBeGreaterThan(20)
        expect(sorted(rounded(hist))).toEqual(oldHist)
        if (!f.tier) expect(segments.length).toBeGreaterThan(3)
        expect(sorted(rounded(segments))).toEqual(oldSegments)
      }
      const latency = await all(seriesSql('days').latency, args)
      expect(sorted(rounded(byDayBucket(latency)))).toEqual(
        sorted(rounded(await all(OLD_DAY_LATENCY_SQL, args))),
      )

      // The whole answer, from the new rows and from the old ones.
      const q = {
        siteId: site.id,
        days,
        grain: 'days' as const,
        filters: f,
        connectedFrom: BASE - 90 * DAY,
        to: BASE + DAY,
        tiers,
      }
      const rows = await performanceRows(env.DB, q)
      const old = {
        ...rows,
        hist: (await all(OLD_HIST_SQL, args)) as typeof rows.hist,
        seriesHist: (await all(OLD_DAY_LATENCY_SQL, args)) as typeof rows.seriesHist,
        segments: (await all(oldSegmentsSql(tiers.length), [
          ...args,
          top,
          ...prices,
        ])) as typeof rows.segments,
      }
      const context = {
        thresholds: () => undefined,
        minSample: 30,
        sourceOf: errorSources({}),
        days: DAYS,
        asOf: BASE + DAY,
      }
      const answer = (r: typeof rows) => ({
        report: performanceReport(r, context, f),
        series: performanceSeries(r.series, r.seriesHist, 'days', days, BASE + DAY),
      })
      const now = answer(rows)
      expect(now.report.overall.connection_latency?.n ?? 0).toBe(
        answer(old).report.overall.connection_latency?.n ?? 0,
      )
      expect(now).toEqual(answer(old))
    }
  })

  it('reads through the ordered indexes when the period holds an eighth of the site or more', () => {
    const days = (from_day: string) => ({ from_day, to_day: '2026-12-31' })
    expect(readsInOrder(days('2026-10-03'), '2026-10-02')).toBe(true) // 90 of 91 days
    expect(readsInOrder(days('2026-12-02'), '2026-06-10')).toBe(true) // 30 of 205
    expect(readsInOrder(days('2026-12-25'), '2026-06-10')).toBe(false) // 7 of 205
    expect(readsInOrder(days('2026-11-16'), '2026-01-01')).toBe(true) // 46 of 365
    expect(readsInOrder(days('2026-11-17'), '2026-01-01')).toBe(false) // 45 of 365
    expect(readsInOrder(days('2026-12-01'), null)).toBe(false) // nothing to read
  })

  it('holds in rollup_perf_buckets exactly the buckets of hist, which the migration copied', async () => {
    const { site } = await siteWith()
    await seed(site, events())
    const rows = await all(
      `SELECT day, kind, bucket, institution, feature, operation, tier, device, value_n,
        value_sum FROM rollup_perf_buckets WHERE site_id = ?1`,
      [site.id],
    )
    // The migration's backfill (migrations/0020), read instead of written.
    const fromHist = await all(
      `SELECT r.day, r.kind, CAST(j.key AS INTEGER) AS bucket, r.institution, r.feature,
        r.operation, r.tier, r.device, json_extract(j.value, '$[0]') AS value_n,
        json_extract(j.value, '$[1]') AS value_sum
      FROM rollup_perf_days r, json_each(r.hist) j
      WHERE r.site_id = ?1 AND r.hist IS NOT NULL AND r.kind <> 'feature'`,
      [site.id],
    )
    expect(rows.length).toBeGreaterThan(500)
    expect(sorted(rounded(rows))).toEqual(sorted(rounded(fromHist)))
  })
})
