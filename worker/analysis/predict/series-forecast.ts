/**
 * A daily series' forecast as `GET .../forecast` answers it (DESIGN §7.10): damped Holt, or
 * weekly Holt–Winters once 8 weeks of history exist (holt.ts), each day ahead with its 80% and
 * 95% intervals, and the same method's holdout score (forecast-eval.ts): the last part of the
 * history forecast from a fit on the rest, its MASE against seasonal-naive and how many of the
 * held-out days fell inside the intervals. Too little history, or nothing but zeros, is
 * `insufficient_data` with the reason, never a number.
 */
import { dayAfter } from '../revenue/calendar'
import { backtest } from './forecast-eval'
import { fitHolt, forecastHolt } from './holt'

/** Below this many days there is no forecast. */
export const MIN_HISTORY_DAYS = 14
/** From this many days on, the weekly season is modelled (8 weeks). */
export const SEASONAL_HISTORY_DAYS = 56
/** The holdout: the forecast horizon, at most 28 days and a quarter of the history. */
export const MAX_HOLDOUT_DAYS = 28

export type ForecastMethod = 'holt_winters' | 'damped_holt'

export type ForecastDay = {
  day: string
  mean: number
  lo80: number
  hi80: number
  lo95: number
  hi95: number
}

export type HoldoutScore = {
  /** Days held out (the history's last), forecast from a fit on the days before them. */
  holdout_days: number
  /** MAE of the forecast / in-sample MAE of seasonal-naive; null when that is 0. */
  mase: number | null
  /** Seasonal-naive's own MASE over the same days: the bar to beat. */
  naive_mase: number | null
  /** Shares of held-out days inside the 80% and 95% intervals. */
  coverage_80: number
  coverage_95: number
}

export type SeriesForecast =
  | {
      status: 'ok'
      method: ForecastMethod
      /** 7 for Holt–Winters (weekly, on daily data), 1 for damped Holt. */
      season: number
      params: { alpha: number; beta: number; phi: number; gamma: number }
      /** The one-step error's standard deviation, in the series' unit. */
      sigma: number
      history_days: number
      forecast: ForecastDay[]
      holdout: HoldoutScore
    }
  | { status: 'insufficient_data'; reason: string; history_days: number }

const r2 = (x: number) => Math.round(x * 100) / 100
const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000)

/**
 * `values[i]` is the value of day `lastDay − (n − 1 − i)`; the forecast starts the day after
 * `lastDay`. `what` names the series in the reasons ("revenue", "MRR").
 */
export function forecastSeries(
  values: number[],
  lastDay: string,
  horizon: number,
  what: string,
): SeriesForecast {
  const n = values.length
  if (n < MIN_HISTORY_DAYS) {
    const reason =
      n === 0
        ? `no ${what} history yet`
        : `${n} day${n === 1 ? '' : 's'} of ${what} history; a forecast needs at least ${MIN_HISTORY_DAYS}`
    return { status: 'insufficient_data', reason, history_days: n }
  }
  if (values.every((v) => v === 0)) {
    return {
      status: 'insufficient_data',
      reason: `${what} was 0 on every day of the history: nothing to extrapolate`,
      history_days: n,
    }
  }
  const season = n >= SEASONAL_HISTORY_DAYS ? 7 : 1
  const fit = fitHolt(values, season)
  const holdout = Math.min(horizon, MAX_HOLDOUT_DAYS, Math.floor(n / 4))
  const score = backtest(values, season, holdout)
  return {
    status: 'ok',
    method: season > 1 ? 'holt_winters' : 'damped_holt',
    season,
    params: { alpha: r4(fit.alpha)!, beta: r4(fit.beta)!, phi: fit.phi, gamma: r4(fit.gamma)! },
    sigma: r2(fit.sigma),
    history_days: n,
    forecast: forecastHolt(fit, horizon).map((p) => ({
      day: dayAfter(lastDay, p.h),
      mean: r2(p.mean),
      lo80: r2(p.lo80),
      hi80: r2(p.hi80),
      lo95: r2(p.lo95),
      hi95: r2(p.hi95),
    })),
    holdout: {
      holdout_days: score.holdout,
      mase: r4(score.mase),
      naive_mase: r4(score.naive_mase),
      coverage_80: r4(score.coverage_80)!,
      coverage_95: r4(score.coverage_95)!,
    },
  }
}
