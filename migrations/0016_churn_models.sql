-- The churn model (DESIGN §7.10, docs/models.md): one stored model per site, trained by cron
-- from rollups (worker/predict/train.ts), and the scores it gave each user, so the model card,
-- the at-risk list and a user's insights are index seeks, never a training run.
--
-- A model with status 'insufficient_data' keeps its reason and the counts that caused it, and
-- no score row has a probability: nobody gets a number the data cannot back.
CREATE TABLE churn_models (
  site_id       TEXT PRIMARY KEY,
  trained_at    INTEGER NOT NULL, -- ms epoch
  status        TEXT NOT NULL CHECK (status IN ('ok', 'insufficient_data')),
  reason        TEXT,             -- why status is insufficient_data; NULL when ok
  cut_day       TEXT,             -- YYYY-MM-DD: the scoring cut; features are the days before it
  horizon_days  INTEGER,          -- feature window and label horizon (30, shorter on a young site)
  n             INTEGER NOT NULL, -- users the served model was fitted on
  churners      INTEGER NOT NULL, -- of them, churned within the horizon after their cut
  base_rate     REAL,             -- churners / n; NULL when n = 0
  features      TEXT,             -- JSON [name, …], the order of means, sds and coefficients
  scaler        TEXT,             -- JSON {means: […], sds: […]} of the training features
  intercept     REAL,
  coefficients  TEXT,             -- JSON [w, …] on the standardised scale
  metrics       TEXT,             -- JSON: the backtest (auc, auc_interval, brier, ece, …)
  rules         TEXT,             -- JSON {tiers: {<tier>: [rule, …]}, upgrade_lift: {…}}
  -- What the retrain rule (docs/models.md) compares: the site's users (user_first_seen rows)
  -- and sites.data_version when it was trained.
  users_seen    INTEGER NOT NULL,
  data_version  INTEGER NOT NULL,
  scored        INTEGER NOT NULL  -- score rows written
);

-- One row per scored user of a site with an 'ok' model; all of a site's rows are replaced at
-- every training. They hold a pseudonymous uid: erasure and the user export cover them
-- (worker/rollups/insights.ts USER_ROLLUP_TABLES, worker/db/users.ts).
CREATE TABLE churn_scores (
  site_id            TEXT NOT NULL,
  uid                TEXT NOT NULL,
  -- NULL when the model is insufficient_data, or the user is outside its population (not
  -- active within the horizon, or churned already): then no number is given, only engagement.
  churn_probability  REAL,
  logit              REAL,
  engagement         REAL NOT NULL, -- 0–100 over the last 30 days (§7.10)
  tier               TEXT NOT NULL, -- the user's tier at the cut ('unknown' when none)
  mrr                REAL NOT NULL, -- current MRR in the site currency (rollup_revenue_days), 0 if none
  revenue_at_risk    REAL,          -- churn_probability × mrr
  top_factor         TEXT,          -- the feature with the largest |contribution|
  feature_values     TEXT,          -- JSON [value, …] in churn_models.features order
  contributions      TEXT,          -- JSON [w_j·(x_j − mean_j)/sd_j, …], same order
  PRIMARY KEY (site_id, uid)
) WITHOUT ROWID;
-- The at-risk list, highest probability first, with or without a tier.
CREATE INDEX churn_scores_risk ON churn_scores (site_id, churn_probability DESC, uid);
CREATE INDEX churn_scores_tier_risk ON churn_scores (site_id, tier, churn_probability DESC, uid);
