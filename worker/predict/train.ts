/**
 * Training the churn model of one site (DESIGN §7.10, docs/models.md), from rollups only, in a
 * bounded number of queries (about 20 reads and 2 + one per 1.5 MB of scores written).
 *
 * Time split, with T the scoring cut and H the horizon (30 days, or a third of the site's
 * history when that is shorter, at least 7). T is the start of today, so every window is whole
 * days: with today in, the last window's labels would hold a part-day, and a weekly user whose
 * day it is, not come yet, would count as churned in the very labels the card is judged on.
 * - backtest: fitted at cut C1 = T − 2H (features [C1 − H, C1), labels [C1, C1 + H)) and
 *   judged at C2 = T − H on users and days it never saw (labels [C2, T)): the card's numbers;
 * - served model: the same procedure one window later, fitted at C2, scores users at T.
 */
import {
  buildDataset,
  addDays,
  ChurnSignals,
  daysBetween,
  featureNames,
  tierLevels,
} from '../analysis/predict/churn-dataset'
import { backtest, fitChurn, insufficiency, scoreRow } from '../analysis/predict/churn-model'
import { engagementScores } from '../analysis/predict/engagement'
import { topFactors } from '../analysis/predict/factors'
import { hitRateAt3, learnRules } from '../analysis/predict/recommendation-rules'
import { readHistory, siteStats } from '../db/predict/history'
import { oldestActiveDay } from '../db/predict/oldest-day'
import { saveModel, type ModelRow, type ScoreTuple } from '../db/predict/store'
import { readWindow, type UserWindow } from '../db/predict/windows'
import { utcDay } from '../ingest/store'
import type { Budget } from '../rollups'

export const MAX_HORIZON = 30
export const MIN_HORIZON = 7
/** Engagement is over the last 30 days whatever the horizon (§7.10). */
const ENGAGEMENT_DAYS = 30

export type TrainResult = { status: ModelRow['status']; reason: string | null; scored: number }

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits

export async function trainChurnModel(
  db: D1Database,
  siteId: string,
  now: number,
  budget: Budget,
): Promise<TrainResult> {
  const stats = await siteStats(db, siteId, budget)
  const T = utcDay(now)
  // The history still held, not the first-seen day, which outlives the retention purge.
  const first = await oldestActiveDay(db, siteId, budget)
  const span = first ? daysBetween(first, T) : 0
  const H = Math.min(MAX_HORIZON, Math.floor(span / 3))
  const base = {
    site_id: siteId,
    trained_at: now,
    users_seen: stats.users,
    data_version: stats.data_version,
    cut_day: T,
    horizon_days: H >= MIN_HORIZON ? H : null,
    features: null,
    scaler: null,
    intercept: null,
    coefficients: null,
    metrics: null,
    rules: null,
  }
  const C2 = addDays(T, -H)
  const C1 = addDays(C2, -H)
  const engagementFrom = addDays(T, -ENGAGEMENT_DAYS)

  // The last 30 days: engagement, recommendations and who gets a score row, in every case.
  const recent = await readWindow(db, siteId, { from: engagementFrom, to: T }, budget)
  const history = await readHistory(
    db,
    siteId,
    H >= MIN_HORIZON ? addDays(C1, -H) : engagementFrom,
    budget,
  )
  const signals = new ChurnSignals(history)
  const rules = learnRules(
    [...recent].map(([uid, u]) => ({
      tier: u.tier,
      features: u.features,
      upgraded: signals.upgradedIn(uid, engagementFrom, T),
    })),
  )
  const engagement = engagementOf(recent, T)

  const insufficient = async (reason: string, n = 0, churners = 0) => {
    const scores: ScoreTuple[] = [...recent].map(([uid, u]) => [
      uid,
      null,
      null,
      engagement.get(uid)!,
      u.tier,
      history.mrr.get(uid) ?? 0,
      null,
      null,
      null,
      null,
    ])
    const scored = await saveModel(
      db,
      {
        ...base,
        status: 'insufficient_data',
        reason,
        n,
        churners,
        base_rate: n ? churners / n : null,
        rules: JSON.stringify(rules),
      },
      scores,
      budget,
    )
    return { status: 'insufficient_data' as const, reason, scored }
  }

  if (H < MIN_HORIZON) {
    return insufficient(
      `${span} days of activity history; a model needs ${3 * MIN_HORIZON} (three windows of at least ${MIN_HORIZON} days)`,
    )
  }
  const w0 = await readWindow(db, siteId, { from: addDays(C1, -H), to: C1 }, budget)
  const w1 = await readWindow(db, siteId, { from: C1, to: C2 }, budget)
  const w2 =
    H === ENGAGEMENT_DAYS ? recent : await readWindow(db, siteId, { from: C2, to: T }, budget)
  const levels = tierLevels([w1, w2])
  const names = featureNames(levels)
  const common = { horizon: H, signals, firstDay: history.firstDay, levels }
  const train1 = buildDataset({ ...common, cut: C1, window: w0, next: w1 })
  const train2 = buildDataset({ ...common, cut: C2, window: w1, next: w2 })
  const sum = (labels: number[]) => labels.reduce((a, y) => a + y, 0)
  // Too little data: the card's n and churners are those of the cut its reason names.
  const tooFew = insufficiency(`backtest training at ${C1}`, train1.labels)
  if (tooFew) return insufficient(tooFew, train1.labels.length, sum(train1.labels))
  const churners = sum(train2.labels)
  const tooFewLater = insufficiency(`training at ${C2}`, train2.labels)
  if (tooFewLater) return insufficient(tooFewLater, train2.labels.length, churners)

  // Backtest: the model of C1 on the window after C2's cut, which it never saw.
  const early = fitChurn(train1.rows, train1.labels)
  const holdout = train2.rows.map((r) => scoreRow(early, names, r).probability)
  const metrics = backtest(holdout, train2.labels)
  const before = new Map<string, Set<string>>()
  for (const w of [w0, w1]) {
    for (const [uid, u] of w) {
      const s = before.get(uid) ?? new Set<string>()
      for (const f of u.features) s.add(f)
      before.set(uid, s)
    }
  }
  const earlyRules = learnRules(
    [...w1.values()].map((u) => ({ tier: u.tier, features: u.features, upgraded: false })),
  )
  const hits = hitRateAt3(
    earlyRules,
    [...w2].flatMap(([uid, u]) => {
      const b = before.get(uid)
      return b ? [{ tier: w1.get(uid)?.tier ?? u.tier, before: b, after: new Set(u.features) }] : []
    }),
  )

  // Served: fitted at C2, scoring everyone in the population at T.
  const fit = fitChurn(train2.rows, train2.labels)
  const now2 = buildDataset({ ...common, cut: T, window: w2 })
  const probability = new Map<string, ReturnType<typeof scoreRow> & { values: number[] }>()
  now2.uids.forEach((uid, i) => {
    probability.set(uid, { ...scoreRow(fit, names, now2.rows[i]), values: now2.rows[i] })
  })
  const scores: ScoreTuple[] = [...recent].map(([uid, u]) => {
    const s = probability.get(uid)
    const mrr = history.mrr.get(uid) ?? 0
    if (!s) return [uid, null, null, engagement.get(uid)!, u.tier, mrr, null, null, null, null]
    const top = topFactors(
      names.map((feature, j) => ({
        feature,
        value: s.values[j],
        contribution: s.contributions[j],
      })),
      1,
    )[0]
    return [
      uid,
      round(s.probability),
      round(s.logit),
      engagement.get(uid)!,
      u.tier,
      mrr,
      round(s.probability * mrr, 2),
      top?.feature ?? null,
      s.values.map((v) => round(v)),
      s.contributions.map((c) => round(c)),
    ]
  })
  scores.sort((a, b) => (b[1] ?? -1) - (a[1] ?? -1))
  const scored = await saveModel(
    db,
    {
      ...base,
      status: 'ok',
      reason: null,
      n: train2.labels.length,
      churners,
      base_rate: churners / train2.labels.length,
      features: JSON.stringify(names),
      scaler: JSON.stringify(fit.scaler),
      intercept: fit.intercept,
      coefficients: JSON.stringify(fit.weights),
      metrics: JSON.stringify({
        ...metrics,
        trained_cut: C1,
        holdout_cut: C2,
        hit_rate_at_3: hits.hit_rate_at_3,
        hit_rate_n: hits.n,
      }),
      rules: JSON.stringify(rules),
    },
    scores,
    budget,
  )
  return { status: 'ok', reason: null, scored }
}

/** Engagement 0–100 of everyone active in the last 30 days, ranked among them (§7.10). */
function engagementOf(recent: Map<string, UserWindow>, T: string): Map<string, number> {
  const uids = [...recent.keys()]
  const scores = engagementScores(
    uids.map((uid) => {
      const u = recent.get(uid)!
      return {
        days_since_active: daysBetween(u.last_day, T) - 1,
        active_days: u.active_days,
        features: u.features.length,
        completions: u.completed_runs,
      }
    }),
  )
  return new Map(uids.map((uid, i) => [uid, scores[i]]))
}
