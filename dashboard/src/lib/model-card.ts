/**
 * The churn model card (DESIGN §7.10) in words: the holdout AUC as the chance the model ranks a
 * churner above a stayer, with its bootstrap 95% interval, and the other backtest numbers as
 * labelled facts. A card that says insufficient_data gives its reason and no number at all, so
 * nobody reads a probability the model could not earn.
 */
import { formatCount, formatDateTime, formatNumber, formatPercent, NONE } from './format'

export type ModelMetrics = {
  auc: number | null
  auc_interval: readonly [number, number] | null
  brier: number | null
  ece: number | null
  top_decile_lift: number | null
}

export type ModelCardInput =
  | {
      status: 'ok'
      /** Unix milliseconds. */
      trained_at: number
      n: number
      base_rate: number | null
      metrics: ModelMetrics
    }
  | { status: 'insufficient_data'; reason: string; trained_at: number | null; n: number }

export type CardFact = { label: string; value: string; hint: string }

export type CardWords = { headline: string; facts: CardFact[] }

/** 0.823 → "82%": whole percent, as a person would say it. */
const wholePercent = (x: number) => formatPercent(x, 0)

/** "Ranks a churner above a stayer 82% of the time (95% interval 78–86%)." */
export function aucSentence(
  auc: number | null,
  interval: readonly [number, number] | null,
): string {
  if (auc === null || !Number.isFinite(auc)) {
    return 'The holdout had no churner or no stayer, so the ranking could not be measured.'
  }
  const range = interval
    ? ` (95% interval ${wholePercent(interval[0]).replace('%', '')}–${wholePercent(interval[1])})`
    : ''
  return `Ranks a churner above a stayer ${wholePercent(auc)} of the time${range}.`
}

export function modelCardWords(card: ModelCardInput, now = Date.now()): CardWords {
  if (card.status !== 'ok') {
    return { headline: `No churn predictions yet: ${card.reason}`, facts: [] }
  }
  const m = card.metrics
  const lift = m.top_decile_lift
  return {
    headline: aucSentence(m.auc, m.auc_interval),
    facts: [
      {
        label: 'Base rate',
        value: formatPercent(card.base_rate),
        hint: 'Share of users who churned in the 30 days after the cut date.',
      },
      {
        label: 'Brier score',
        value: formatNumber(m.brier, 3),
        hint: 'Mean squared error of the probabilities on the holdout: 0 is perfect.',
      },
      {
        label: 'Calibration error',
        value: formatPercent(m.ece),
        hint: 'ECE: how far predicted probabilities sit from observed churn, on average.',
      },
      {
        label: 'Top-decile lift',
        value: lift === null || !Number.isFinite(lift) ? NONE : `${formatNumber(lift, 1)}×`,
        hint: 'Churn among the riskiest 10% over churn among everyone.',
      },
      { label: 'Trained', value: formatDateTime(card.trained_at, now), hint: 'Retrained by cron.' },
      { label: 'Users', value: formatCount(card.n), hint: 'Users the model was trained on.' },
    ],
  }
}

export type CrossingInput = {
  institution: string
  metric: string
  level: 'warning' | 'critical'
  in_days: number
  /** The 80% interval of the crossing, in days; the later end null when beyond the horizon. */
  in_days_80: readonly [number, number | null]
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`)

/** "crosses critical in 3–6 days", "… in 4 days", "… in 3 days or later". */
export function crossingPhrase(c: CrossingInput): string {
  const [lo, hi] = c.in_days_80
  const when =
    hi === null
      ? `in ${days(lo)} or later`
      : lo === hi
        ? lo === 0
          ? 'today'
          : `in ${days(lo)}`
        : `in ${lo}–${days(hi)}`
  return `crosses ${c.level} ${when}`
}
