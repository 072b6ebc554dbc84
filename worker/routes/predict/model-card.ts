/**
 * `GET /v1/sites/:site/models/churn` (read key, DESIGN §7.10): the churn model's card — when it
 * was trained and on how many users, the base rate, the named coefficients, and how its
 * backtest went on a window it never saw (AUC with a bootstrap 95% interval, Brier score,
 * calibration error, top-decile lift, hit-rate@3 of recommendations). Too little data: status
 * `insufficient_data` with the reason, and no numbers that would need a model.
 */
import { Hono } from 'hono'
import { readModel } from '../../db/predict/store'
import type { AppEnv } from '../../env'
import { requireRole } from '../../middleware/auth'
import { modelCard, type ModelCard } from './view'

const modelCardRoute = new Hono<AppEnv>().get('/', requireRole('read'), async (c) => {
  const card: ModelCard = modelCard(await readModel(c.env.DB, c.req.param('site')!))
  return c.json(card)
})

export default modelCardRoute
