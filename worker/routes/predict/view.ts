/**
 * How the stored churn model and scores (db/predict/store.ts) read in an answer: risk levels
 * (DESIGN §7.10: high ≥ 0.5, medium ≥ 0.2, else low), the card's numbers, a user's factors.
 * With no model, or an insufficient_data one, every probability and risk is null, never a number.
 */
import type { Backtest } from '../../analysis/predict/churn-model'
import type { Factor } from '../../analysis/predict/factors'
import type { RuleSet } from '../../analysis/predict/recommendation-rules'
import type { ModelRow, ScoreRow } from '../../db/predict/store'
import { RETRAIN_AFTER_MS } from '../../predict/retrain'

export const RISKS = ['high', 'medium', 'low'] as const
export type Risk = (typeof RISKS)[number]

/** [lo, hi) of churn_probability for each level; 2 is above any probability. */
export const RISK_RANGE: Record<Risk, [number, number]> = {
  high: [0.5, 2],
  medium: [0.2, 0.5],
  low: [0, 0.2],
}

export const riskOf = (p: number | null): Risk | null =>
  p === null ? null : p >= 0.5 ? 'high' : p >= 0.2 ? 'medium' : 'low'

export const NO_MODEL =
  'no model trained yet: cron trains one per site once its rollups are built (docs/models.md)'

/** The backtest's numbers, with the cuts it was trained and judged at. */
type Metrics = Backtest & {
  trained_cut: string
  holdout_cut: string
  hit_rate_at_3: number | null
  hit_rate_n: number
}

export type ModelCard = {
  status: 'ok' | 'insufficient_data'
  reason: string | null
  trained_at: string | null
  next_training_after: string | null
  cut_day: string | null
  horizon_days: number | null
  n: number
  churners: number
  base_rate: number | null
  intercept: number | null
  coefficients: { feature: string; coefficient: number; mean: number; sd: number }[]
  auc: number | null
  auc_interval: [number, number] | null
  brier: number | null
  ece: number | null
  top_decile_lift: number | null
  hit_rate_at_3: number | null
  holdout: {
    n: number
    churners: number
    base_rate: number
    trained_cut: string
    holdout_cut: string
    hit_rate_n: number
  } | null
  scored_users: number
}

export function modelCard(m: ModelRow | null): ModelCard {
  const metrics = m?.metrics ? (JSON.parse(m.metrics) as Metrics) : null
  const names = m?.features ? (JSON.parse(m.features) as string[]) : []
  const weights = m?.coefficients ? (JSON.parse(m.coefficients) as number[]) : []
  const scaler = m?.scaler
    ? (JSON.parse(m.scaler) as { means: number[]; sds: number[] })
    : { means: [], sds: [] }
  return {
    status: m?.status ?? 'insufficient_data',
    reason: m ? m.reason : NO_MODEL,
    trained_at: m ? new Date(m.trained_at).toISOString() : null,
    next_training_after: m ? new Date(m.trained_at + RETRAIN_AFTER_MS).toISOString() : null,
    cut_day: m?.cut_day ?? null,
    horizon_days: m?.horizon_days ?? null,
    n: m?.n ?? 0,
    churners: m?.churners ?? 0,
    base_rate: m?.base_rate ?? null,
    intercept: m?.status === 'ok' ? m.intercept : null,
    coefficients: names.map((feature, j) => ({
      feature,
      coefficient: weights[j],
      mean: scaler.means[j],
      sd: scaler.sds[j],
    })),
    auc: metrics?.auc ?? null,
    auc_interval: metrics?.auc_interval ?? null,
    brier: metrics?.brier ?? null,
    ece: metrics?.ece ?? null,
    top_decile_lift: metrics?.top_decile_lift ?? null,
    hit_rate_at_3: metrics?.hit_rate_at_3 ?? null,
    holdout: metrics
      ? {
          n: metrics.n,
          churners: metrics.churners,
          base_rate: metrics.base_rate,
          trained_cut: metrics.trained_cut,
          holdout_cut: metrics.holdout_cut,
          hit_rate_n: metrics.hit_rate_n,
        }
      : null,
    scored_users: m?.scored ?? 0,
  }
}

/** Every factor of a scored user, in the model's feature order; [] without a probability. */
export function factorsOfScore(m: ModelRow | null, s: ScoreRow): Factor[] {
  if (!m?.features || !s.feature_values || !s.contributions || s.churn_probability === null) {
    return []
  }
  const names = JSON.parse(m.features) as string[]
  const values = JSON.parse(s.feature_values) as number[]
  const contributions = JSON.parse(s.contributions) as number[]
  return names.map((feature, j) => ({ feature, value: values[j], contribution: contributions[j] }))
}

export function rulesOf(m: ModelRow | null): RuleSet {
  return m?.rules ? (JSON.parse(m.rules) as RuleSet) : { tiers: [], upgrade_lift: [] }
}
