/**
 * The churn model card (DESIGN §7.10) in words: the holdout AUC as the chance the model ranks a
 * churner above a stayer, with its bootstrap 95% interval, and the other backtest numbers as
 * labelled facts. A card that says insufficient_data gives its reason and no number at all, so
 * nobody reads a probability the model could not earn.
 */
import type { ChurnModelCard } from '../api/types'
import { formatCount, formatDateTime, formatNumber, formatPercent, NONE } from './format'

export type CardFact = { label: string; value: string; hint: string }

export type CardWords =
  | { status: 'ok'; headline: string; basis: string; facts: CardFact[] }
  | { status: 'insufficient_data'; headline: string; reason: string }

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

/** A lift or ratio as "4×", "–" when there is none. */
export const formatTimes = (x: number | null) =>
  x === null || !Number.isFinite(x) ? NONE : `${formatNumber(x, 1)}×`

export function modelCardWords(card: ChurnModelCard, now = Date.now()): CardWords {
  if (card.status !== 'ok') {
    return {
      status: 'insufficient_data',
      headline: 'No churn predictions yet.',
      reason: card.reason ?? 'the model has not been trained',
    }
  }
  const h = card.holdout
  const basis = h
    ? `Judged on how ${formatCount(h.n)} users fared in the ${card.horizon_days} days after ${h.holdout_cut}, which it never saw: ${formatCount(h.churners)} of them churned.`
    : ''
  const facts: CardFact[] = [
    {
      label: 'Base rate',
      value: formatPercent(card.base_rate),
      hint: `Share of the users it was trained on who churned within ${card.horizon_days} days.`,
    },
    {
      label: 'Brier score',
      value: formatNumber(card.brier, 3),
      hint: 'Mean squared error of the probabilities on the holdout: 0 is perfect.',
    },
    {
      label: 'Calibration error',
      value: formatPercent(card.ece),
      hint: 'ECE: how far predicted probabilities sit from observed churn, on average.',
    },
    {
      label: 'Top-decile lift',
      value: formatTimes(card.top_decile_lift),
      hint: 'Churn among the riskiest 10% over churn among everyone.',
    },
    {
      label: 'Recommendation hit rate',
      value: formatPercent(card.hit_rate_at_3),
      hint: `Users whose next new feature was among their three recommendations (of ${formatCount(h?.hit_rate_n)}).`,
    },
    {
      label: 'Trained',
      value: card.trained_at ? formatDateTime(card.trained_at, now) : NONE,
      hint: card.next_training_after
        ? `Retrained by cron after ${formatDateTime(card.next_training_after, now)}, or sooner when users grow by a fifth.`
        : 'Retrained by cron.',
    },
    { label: 'Users', value: formatCount(card.n), hint: 'Users the model was trained on.' },
  ]
  return { status: 'ok', headline: aucSentence(card.auc, card.auc_interval), basis, facts }
}
