/**
 * rollup_feature_months (migrations/0021) kept day by day, and revenue's first feature use read
 * from it: on a generated site, after every kind of change a day can see (new days, a late event
 * on an earlier day, an alias link moving an anonymous history, an erasure, the retention
 * purge), the table equals its definition recomputed from rollup_feature_days, and the first
 * uses equal the daily formula's for many periods.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../../worker/analysis/predict/random'
import { revenueRows } from '../../../worker/db/insights/revenue'
import { rebuildDay } from '../../../worker/rollups'
import { featureMonths } from '../../../worker/rollups/feature-months'
import { eraseUserFromRollups, purgeRollupsBefore } from '../../../worker/rollups/insights'
import { DAY, seed, siteWith, type Ev } from './seed'

/** The first use per (feature, user) in ?2–?3 as it was read before the month rows. */
const DAILY_FIRST_USE = `SELECT feature, uid, min(day) AS first_day FROM rollup_feature_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uses + starts > 0 AND uid <> ''
GROUP BY feature, uid ORDER BY feature, uid`

/** The month rows by their definition (the migration's backfill). */
const MONTHS_FROM_DAYS = `SELECT substr(day, 1, 7) AS month, feature, uid, min(day) AS first_day
FROM rollup_feature_days WHERE site_id = ?1 AND uses + starts > 0 AND uid <> ''
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`

const START = Date.parse('2026-01-20T00:00:00Z')
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Feature uses, starts and ratings (a rating alone is no use) over 80 days from 2026-01-20. */
function generated(): Ev[] {
  const next = seeded(13)
  const features = ['budgets', 'transfers', 'savings_goals', 'card_controls']
  const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'anon_1']
  const out: Ev[] = []
  for (let i = 0; i < 260; i++) {
    const type = next() < 0.15 ? 'feedback' : 'feature'
    out.push({
      type,
      ts: START + Math.floor(next() * 80 * DAY),
      uid: users[Math.floor(next() * users.length)],
      tier: next() < 0.5 ? 'free' : 'plus',
      feature: features[Math.floor(next() * features.length)],
      ...(type === 'feature'
        ? { status: next() < 0.3 ? ('started' as const) : ('completed' as const) }
        : { value: 4 }),
    })
  }
  return out
}

async function expectConsistent(siteId: string) {
  const [months, defined] = await Promise.all([
    env.DB.prepare(
      `SELECT month, feature, uid, first_day FROM rollup_feature_months WHERE site_id = ?1
       ORDER BY 1, 2, 3`,
    )
      .bind(siteId)
      .all(),
    env.DB.prepare(MONTHS_FROM_DAYS).bind(siteId).all(),
  ])
  expect(defined.results.length).toBeGreaterThan(0)
  expect(months.results).toEqual(defined.results)
}

/** Periods inside, across and around the months, one day long to all of it. */
const PERIODS: [string, string][] = [
  ['2026-01-01', '2026-04-30'],
  ['2026-01-25', '2026-03-10'],
  ['2026-02-01', '2026-02-28'],
  ['2026-02-14', '2026-02-14'],
  ['2026-02-27', '2026-03-02'],
  ['2026-03-05', '2026-04-08'],
  ['2026-04-01', '2026-04-30'],
]

async function expectSameFirstUses(siteId: string) {
  for (const [from, to] of PERIODS) {
    const { featureUses } = await revenueRows(env.DB, siteId, { windowFrom: from, from, to })
    const { results } = await env.DB.prepare(DAILY_FIRST_USE)
      .bind(siteId, from, to)
      .all<{ feature: string; uid: string; first_day: string }>()
    const expected = new Map<string, Map<string, string>>()
    for (const r of results) {
      if (!expected.has(r.feature)) expected.set(r.feature, new Map())
      expected.get(r.feature)!.set(r.uid, r.first_day)
    }
    const sorted = (m: Map<string, Map<string, string>>) =>
      [...m].map(([f, users]) => [f, [...users].sort()] as const).sort()
    expect(sorted(featureUses), `${from}–${to}`).toEqual(sorted(expected))
  }
}

describe('rollup_feature_months', () => {
  it('stays its definition through late events, alias links, erasure and purge', async () => {
    const { site } = await siteWith()
    const events = generated()
    await seed(site, events)
    await expectConsistent(site.id)
    await expectSameFirstUses(site.id)

    // A late use on an earlier day of a month sets its first day earlier.
    await seed(site, [
      { type: 'feature', ts: Date.parse('2026-02-01T08:00:00Z'), uid: 'u6', feature: 'budgets' },
      {
        type: 'feature',
        ts: Date.parse('2026-03-01T08:00:00Z'),
        uid: 'u2',
        feature: 'savings_goals',
      },
    ])
    await expectConsistent(site.id)

    // Linking anon_1 to u1 moves its history: its days are rebuilt, as the link marks them.
    await env.DB.prepare(
      "INSERT INTO user_aliases (site_id, anon_id, uid, ts) VALUES (?1, 'anon_1', 'u1', ?2)",
    )
      .bind(site.id, START)
      .run()
    const anonDays = [...new Set(events.filter((e) => e.uid === 'anon_1').map((e) => day(e.ts)))]
    expect(anonDays.length).toBeGreaterThan(3)
    for (const d of anonDays.sort().reverse()) await rebuildDay(env.DB, site.id, d)
    await expectConsistent(site.id)
    await expectSameFirstUses(site.id)

    // Erasing u3: the user's rows go and the days rebuilt without them change nothing else.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM events WHERE site_id = ?1 AND uid = 'u3'").bind(site.id),
      ...eraseUserFromRollups(env.DB, site.id, 'u3'),
    ])
    for (const d of ['2026-02-10', '2026-03-15']) await rebuildDay(env.DB, site.id, d)
    await expectConsistent(site.id)

    // The purge of the days before 2026-02-17 keeps February from its 17th on.
    await env.DB.batch(purgeRollupsBefore(env.DB, site.id, '2026-02-17'))
    await expectConsistent(site.id)
    await expectSameFirstUses(site.id)
    // A day rebuilt twice writes no month row the second time.
    await rebuildDay(env.DB, site.id, '2026-03-20')
    const again = await env.DB.batch(
      featureMonths.rebuild(env.DB, site.id, Date.parse('2026-03-20T00:00:00Z'), '2026-03-20'),
    )
    expect(again.reduce((n, r) => n + r.meta.changes, 0)).toBe(0)
    await expectConsistent(site.id)
  })
})
