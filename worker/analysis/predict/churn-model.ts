/**
 * The churn model itself (DESIGN §7.10): standardise, fit an L2 logistic regression, score a
 * row with its additive factors, and the backtest numbers of the model card. The pieces are
 * logistic.ts, standardise.ts, factors.ts, auc.ts and calibration.ts; this file only joins them.
 */
import { auc, aucInterval } from './auc'
import { brier, expectedCalibrationError, topDecileLift } from './calibration'
import { factorsOf } from './factors'
import { fitLogistic, logit, sigmoid } from './logistic'
import { fitScaler, standardise, type Scaler } from './standardise'

/** The L2 penalty λ (scikit-learn's C = 1/λ = 1): mild, on z-scored features. */
export const LAMBDA = 1
/** DESIGN §7.10: fewer users or churners than this and no user gets a probability. */
export const MIN_USERS = 200
export const MIN_CHURNERS = 20

export type ChurnFit = { scaler: Scaler; intercept: number; weights: number[] }

export function fitChurn(rows: number[][], labels: number[]): ChurnFit {
  const scaler = fitScaler(rows)
  const m = fitLogistic(
    rows.map((r) => standardise(r, scaler)),
    labels,
    LAMBDA,
  )
  return { scaler, intercept: m.intercept, weights: m.weights }
}

export type Scored = { logit: number; probability: number; contributions: number[] }

/** intercept + Σ contributions = logit, exactly (factors.ts). */
export function scoreRow(fit: ChurnFit, names: string[], row: number[]): Scored {
  const z = logit(
    { intercept: fit.intercept, weights: fit.weights, iterations: 0 },
    standardise(row, fit.scaler),
  )
  const contributions = factorsOf(names, fit.weights, row, fit.scaler.means, fit.scaler.sds).map(
    (f) => f.contribution,
  )
  return { logit: z, probability: sigmoid(z), contributions }
}

/** Why there is no model, or null when the rows are enough (both classes, §7.10's minimums). */
export function insufficiency(what: string, labels: number[]): string | null {
  const churners = labels.reduce((a, y) => a + y, 0)
  if (labels.length < MIN_USERS) {
    return `${what}: ${labels.length} users, fewer than the ${MIN_USERS} a model needs`
  }
  if (churners < MIN_CHURNERS) {
    return `${what}: ${churners} churners, fewer than the ${MIN_CHURNERS} a model needs`
  }
  if (labels.length - churners < MIN_CHURNERS) {
    return `${what}: ${labels.length - churners} users stayed, fewer than ${MIN_CHURNERS}`
  }
  return null
}

export type Backtest = {
  n: number
  churners: number
  base_rate: number
  auc: number | null
  auc_interval: [number, number] | null
  brier: number | null
  ece: number | null
  top_decile_lift: number | null
}

/** Bootstrap rounds: 500, fewer on a large holdout so training stays within its CPU time. */
export const bootstrapRounds = (n: number) => Math.max(100, Math.min(500, Math.floor(2e7 / n)))

export function backtest(probs: number[], labels: number[]): Backtest {
  const churners = labels.reduce((a, y) => a + y, 0)
  return {
    n: labels.length,
    churners,
    base_rate: labels.length ? churners / labels.length : 0,
    auc: auc(probs, labels),
    auc_interval: aucInterval(probs, labels, bootstrapRounds(labels.length)),
    brier: brier(probs, labels),
    ece: expectedCalibrationError(probs, labels),
    top_decile_lift: topDecileLift(probs, labels),
  }
}
