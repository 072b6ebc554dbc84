/**
 * Every route of the API, once: who may call it, the zod schemas its query and body are parsed
 * with (imported from where the route parses them, never copied), what it answers and which
 * errors it can give. The OpenAPI document (`GET /v1/openapi.json`), the `/docs` page, the
 * authorization matrix test and the body fuzz test are all generated from this table, and a
 * test fails when it and the app's real routes disagree.
 */
import type { z } from 'zod'
import { FunnelBodySchema, FunnelQuerySchema } from '../routes/insights/funnel'
import { QuerySchema as DashboardQuery } from '../routes/insights/dashboard'
import { QuerySchema as DropoffsQuery } from '../routes/insights/dropoffs'
import { QuerySchema as FeatureValueQuery } from '../routes/insights/feature-value'
import { ForecastQuerySchema } from '../routes/insights/forecast'
import { JourneysQuerySchema } from '../routes/insights/journeys'
import { QuerySchema as LiveQuery } from '../routes/insights/live'
import { QuerySchema as OpportunitiesQuery } from '../routes/insights/opportunities'
import { QuerySchema as PerformanceQuery } from '../routes/insights/performance'
import { RetentionQuerySchema } from '../routes/insights/retention'
import { RevenueQuerySchema } from '../routes/insights/revenue'
import { QuerySchema as RevenueLeversQuery } from '../routes/insights/revenue-recommendations'
import { QuerySchema as WorkflowsQuery } from '../routes/insights/workflows'
import { ListQuery as DeliveriesQuery, SnoozeBody } from '../routes/alerts'
import { AuditQuerySchema } from '../routes/compliance/audit'
import { ExportQuerySchema } from '../routes/compliance/export'
import { UidSchema, UserExportQuerySchema } from '../routes/compliance/users'
import { ImportBodySchema } from '../routes/import'
import { AtRiskQuerySchema } from '../routes/predict/at-risk'
import {
  BatchSchema,
  CreateKeySchema,
  CreateSiteSchema,
  EventSchema,
  SiteConfigSchema,
  ROLES,
  slug,
} from '../schemas'

export type Role = (typeof ROLES)[number]

/**
 * `none`: anyone. `admin_token`: the Worker's ADMIN_TOKEN (operators). `public_or_ingest`: the
 * site's public key in the body from an allowed origin, or a secret `ingest` key. A role list:
 * a secret key with one of these roles — of the site in the path, when the path names one.
 */
export type Auth = 'none' | 'admin_token' | 'public_or_ingest' | readonly Role[]

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429

export type RouteSpec = {
  method: 'get' | 'post' | 'patch' | 'delete' | 'options'
  /** OpenAPI style: `/v1/sites/{site}/keys/{id}`. */
  path: string
  tag: 'Ingest' | 'Operator' | 'Site' | 'Insights' | 'Alerts' | 'Compliance' | 'Reference'
  summary: string
  /** Behaviour worth knowing beyond the schemas: what a field means, what is checked after. */
  description?: string
  auth: Auth
  /** Path parameters parsed by a schema (the rest are plain strings). */
  params?: Record<string, z.ZodType>
  query?: z.ZodType
  body?: z.ZodType
  /** A top-level array of the body whose items are judged one by one (a bad one is rejected). */
  items?: { field: string; schema: z.ZodType }
  /** A body the schema accepts: shown on /docs, and the starting point the fuzz test mutates. */
  example?: unknown
  status: 200 | 201 | 202 | 204
  /** Media types of the success answer; JSON unless said. */
  produces?: string[]
  /** The success answer, in words and field names (the shapes are not schemas yet). */
  returns: string
  /** Errors beyond those the auth, query and body imply (see `errorsOf`). */
  errors?: ErrorStatus[]
}

const READ: readonly Role[] = ['read', 'admin']
const ADMIN: readonly Role[] = ['admin']
const SITE = '/v1/sites/{site}'

const insight = (
  path: string,
  summary: string,
  query: z.ZodType,
  returns: string,
  extra: Partial<RouteSpec> = {},
): RouteSpec => ({
  method: 'get',
  path: `${SITE}/${path}`,
  tag: 'Insights',
  summary,
  auth: READ,
  query,
  status: 200,
  returns,
  ...extra,
})

const STORED =
  'The answer is kept and served again for the same question while it is under 5 minutes old ' +
  'and nothing it was computed from changed; `refresh=1` recomputes.'

export const ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/health',
    tag: 'Reference',
    summary: 'Liveness check',
    auth: 'none',
    status: 200,
    returns: '`{ok: true}`',
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    tag: 'Reference',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'Generated from the zod schemas that validate the requests; rendered at /docs.',
    auth: 'none',
    status: 200,
    returns: 'the OpenAPI document',
  },
  {
    method: 'options',
    path: '/v1/events',
    tag: 'Ingest',
    summary: 'CORS preflight for the collector',
    description:
      'Answers any origin: a preflight carries no site. The POST itself is refused unless its ' +
      "site's allowed_origins has the origin.",
    auth: 'none',
    status: 204,
    returns: 'no body; CORS headers',
  },
  {
    method: 'post',
    path: '/v1/events',
    tag: 'Ingest',
    summary: 'Send a batch of events',
    description:
      'From a page: `site` is the public key and the Origin must be in allowed_origins (client ' +
      'event types only). From a backend: a secret `ingest` key, any type, `site` may be left ' +
      'out. text/plain (what sendBeacon sends) or application/json, at most 64 KB. The envelope ' +
      'is validated as a whole; each event is judged alone, and a bad one is listed in ' +
      '`rejected` while the rest are accepted.',
    auth: 'public_or_ingest',
    body: BatchSchema,
    items: { field: 'events', schema: EventSchema },
    example: { events: [{ id: 'evt-1', type: 'page', ts: 1767225600000, path: '/accounts' }] },
    status: 202,
    returns: '`{accepted, rejected: [{index, code, message}]}`',
  },
  {
    method: 'post',
    path: `${SITE}/import`,
    tag: 'Ingest',
    summary: 'Import historical events',
    description:
      "The collector's batches and per-event checks, any event type, with ts back to the site's " +
      'retention_days (older, or more than 5 minutes ahead: ts_out_of_range). Up to 5,000 events ' +
      'or 5 MB a request (413 past either), JSON. Each request is stored as one transaction, in ' +
      "the id space of the backend's ingest key: an event id already sent from there, or " +
      'imported before, counts in `duplicates`, so a resumed import stores nothing twice. The ' +
      'days it touched are rebuilt by the next rollup run. Audited as events.import.',
    auth: ADMIN,
    body: ImportBodySchema,
    items: { field: 'events', schema: EventSchema },
    example: {
      events: [
        {
          id: 'sub-1001-2026-01',
          type: 'revenue',
          ts: 1767225600000,
          uid: 'c-1001',
          name: 'subscription_renewed',
          tier: 'plus',
          value: 9.99,
          currency: 'USD',
          props: { interval: 'month' },
        },
      ],
    },
    status: 200,
    returns: '`{accepted, duplicates, rejected: [{index, code, message}]}`',
  },
  {
    method: 'post',
    path: '/v1/admin/sites',
    tag: 'Operator',
    summary: 'Create a site with its public key and first admin key',
    auth: 'admin_token',
    body: CreateSiteSchema,
    example: { name: 'Acme Bank', allowed_origins: ['https://app.acme-bank.example'] },
    status: 201,
    returns:
      '`{site, public_key, admin_key: {id, role, name, prefix, created_at, key}, config}`; the key is shown only here',
    errors: [409],
  },
  {
    method: 'post',
    path: '/v1/admin/jobs/run',
    tag: 'Operator',
    summary: 'Run the cron jobs now',
    description:
      'Rollups of changed days, alerts and webhooks, the retention purge, prepared overviews.',
    auth: 'admin_token',
    status: 200,
    returns: 'what each job did, e.g. `{rebuilt_days, purged_events, …}`',
  },
  {
    method: 'get',
    path: '/v1/whoami',
    tag: 'Site',
    summary: 'The site and role of a secret key',
    auth: ['ingest', 'read', 'admin'],
    status: 200,
    returns: '`{key: {id, role}, site: {id, name}}`',
  },
  {
    method: 'get',
    path: `${SITE}/config`,
    tag: 'Site',
    summary: "The site's configuration and public key",
    auth: READ,
    status: 200,
    returns: '`{site: {id, name}, public_key, config}`',
    errors: [404],
  },
  {
    method: 'patch',
    path: `${SITE}/config`,
    tag: 'Site',
    summary: 'Replace top-level config fields',
    description:
      'Names the top-level fields to replace; the merged config is validated as a whole, so a ' +
      'PATCH never leaves an invalid config. A webhook_url must be https to a public host; the ' +
      'first one saved answers its signing secret, this once.',
    auth: ADMIN,
    body: SiteConfigSchema,
    example: { min_sample: 30, currency: 'USD' },
    status: 200,
    returns: '`{config, webhook_secret?}`',
    errors: [404],
  },
  {
    method: 'post',
    path: `${SITE}/keys`,
    tag: 'Site',
    summary: 'Create a secret key',
    auth: ADMIN,
    body: CreateKeySchema,
    example: { role: 'read', name: 'BI export' },
    status: 201,
    returns: '`{id, role, name, prefix, created_at, revoked_at, key}`; the key is shown only here',
  },
  {
    method: 'get',
    path: `${SITE}/keys`,
    tag: 'Site',
    summary: "The site's keys (never the secrets)",
    auth: ADMIN,
    status: 200,
    returns: '`{keys: [{id, role, name, prefix, created_at, revoked_at}]}`',
  },
  {
    method: 'delete',
    path: `${SITE}/keys/{id}`,
    tag: 'Site',
    summary: 'Revoke a key',
    auth: ADMIN,
    status: 200,
    returns: '`{id, revoked: true}`',
    errors: [404, 409],
  },
  {
    method: 'post',
    path: `${SITE}/webhook/secret`,
    tag: 'Alerts',
    summary: 'Rotate the webhook signing secret',
    description: 'The new `whsec_` secret is shown this once; the old one still signs for 24 h.',
    auth: ADMIN,
    status: 200,
    returns: '`{secret, previous_valid_until}`',
  },
  insight(
    'dashboard',
    'The overview: KPIs, daily series, top opportunities, worst drop-offs',
    DashboardQuery,
    '`{period, truncated, kpis, series, top_opportunities, worst_dropoffs, workflows, computed_at}`',
    { description: STORED },
  ),
  insight(
    'live',
    'The last 5 minutes from raw events',
    LiveQuery,
    '`{window_s, from, to, events, active_users, sessions, by_type, per_minute}`',
  ),
  insight(
    'features/value',
    'Feature value by tier (DESIGN §7.1)',
    FeatureValueQuery,
    '`{period, weights, tiers: {<tier>: {average_value_score, features, top_features}}, computed_at}`',
    { description: STORED },
  ),
  insight(
    'workflows',
    "Every workflow's outcomes and steps (DESIGN §7.2)",
    WorkflowsQuery,
    '`{period, truncated, workflows: [{name, started, completed, completion_rate, steps, …}]}`',
  ),
  insight(
    'workflows/{name}',
    'One workflow with its common paths and breakdowns',
    WorkflowsQuery,
    '`{period, truncated, workflow: {…, common_paths, breakdown}}`',
    { params: { name: slug }, errors: [404] },
  ),
  {
    ...insight(
      'funnel',
      'An ad-hoc funnel over raw events (DESIGN §7.3)',
      FunnelQuerySchema,
      '`{range, window, order, by, steps: [{count, conversion_from_start, conversion_from_previous, median_time_to_convert_s, …}], breakdown, events_scanned, truncated}`',
    ),
    method: 'post',
    body: FunnelBodySchema,
    example: {
      steps: [
        { type: 'step', workflow: 'account_linking', step: 'start' },
        { type: 'step', workflow: 'account_linking', step: 'complete' },
      ],
      window: '1d',
    },
  },
  insight(
    'journeys',
    'Journey stages, transitions, conversion points and drop-offs (DESIGN §7.4)',
    JourneysQuerySchema,
    '`{range, journey, journeys, success_rate, stages, flow, transitions, conversion_points, dropoffs, truncated, computed_at}`',
    { description: STORED },
  ),
  insight(
    'retention',
    'Retention cohorts (DESIGN §7.5)',
    RetentionQuerySchema,
    '`{range, interval, mode, feature, cohorts, average, partial_last_period}`',
  ),
  insight(
    'dropoffs',
    'Drop-off points of all seven types, worst first (DESIGN §7.6)',
    DropoffsQuery,
    '`{period, truncated, types, points, computed_at}`',
    { description: STORED },
  ),
  insight(
    'opportunities',
    'Improvement opportunities by priority (DESIGN §7.7)',
    OpportunitiesQuery,
    '`{period, truncated, total, cost_assumptions, top_rule, opportunities: [{id, kind, title, evidence, improvement_potential, benchmark, overlaps, effort, cost, roi, priority_score, top, …}], computed_at}`',
    { description: STORED },
  ),
  insight(
    'performance',
    'Bank-connection and feature health (DESIGN §7.8)',
    PerformanceQuery,
    '`{period, granularity, filters, min_sample, thresholds, overall, by_institution, by_feature, custom_metrics, series, computed_at}`',
    { description: STORED },
  ),
  insight(
    'revenue',
    'MRR, its five movements and the eight revenue metrics (DESIGN §7.9)',
    RevenueQuerySchema,
    '`{period, currency, filters, mrr_start, mrr, movements, months: [{month, mrr_start, mrr, new, expansion, contraction, churn, reactivation, net_change, customer_churn_rate, quick_ratio, …}], daily: [{day, mrr, new, …, revenue}], metrics: {subscription_upgrades, feature_adoption, user_retention, customer_lifetime_value, churn_rate, revenue_per_user, upgrade_conversion, feature_revenue}}`',
    {
      description:
        "From rollups of the backend's `revenue` events. Amounts in the site's currency, exact to " +
        "the cent: each month's movements add up to its net_change; contraction and churn are " +
        'negative. Filters choose users (a tier they were in, a device they used, a feature they ' +
        'used in the period) and every number counts only theirs. docs/formulas.md has each formula.',
    },
  ),
  insight(
    'revenue/recommendations',
    'Revenue levers ranked by monthly value (DESIGN §7.9)',
    RevenueLeversQuery,
    '`{period, currency, min_sample, levers: [{id, kind, subject, title, sentence, monthly_value, evidence}], computed_at}`',
    {
      description:
        '`kind` is `feature_upsell` (free users of a feature start paying more: Newcombe 95% ' +
        'interval above 0), `institution_failures` (paying users whose connections to it failed ' +
        'churn more than those whose never did) or `tier_churn` (a paid tier churns more than the ' +
        'others); `monthly_value` is in the site currency per 30 days. Each compares groups ' +
        'across the site, so tier, device and feature filters are a 400. ' +
        STORED,
    },
  ),
  insight(
    'forecast',
    'Revenue and MRR forecasts with intervals; when institutions cross their thresholds (DESIGN §7.10)',
    ForecastQuerySchema,
    '`{as_of, horizon, trend_days, currency, filters, min_sample, revenue, mrr, institutions: [{institution, attempts, metrics: [{metric, status, threshold, trend_value, slope_per_day, warning, critical}]}], institutions_truncated, heading_for_threshold: [{institution, metric, level, in_days, date, in_days_80}], computed_at}`',
    {
      description:
        "`revenue` (charged − refunded per day) and `mrr` (at each day's end) over the last year " +
        'up to `as_of`, the last whole UTC day: `method` damped_holt, or holt_winters (weekly) ' +
        'from 56 days of history; `forecast: [{day, mean, lo80, hi80, lo95, hi95}]` for ' +
        '`horizon` days; `holdout: {holdout_days, mase, naive_mase, coverage_80, coverage_95}` ' +
        'from a fit without the last days. Too little history: `status: insufficient_data` with ' +
        'a `reason`. Per institution and metric, a line through the last `trend_days` days: ' +
        '`warning`/`critical` is `crosses` (with `date`, `in_days` and the 80% interval ' +
        '`in_days_80`), `already_past`, `not_heading_there` or `beyond_horizon`. docs/models.md has the ' +
        'methods and their limits. ' +
        STORED,
    },
  ),
  {
    method: 'get',
    path: `${SITE}/models/churn`,
    tag: 'Insights',
    summary: "The churn model's card (DESIGN §7.10)",
    description:
      'Trained by cron from rollups on a time split: fitted at one cut, judged on the next ' +
      'window it never saw (`holdout`); the served model is the same procedure one window ' +
      'later. `coefficients` are on the standardised scale, named, with the mean and sd of ' +
      'each feature. Fewer than 200 users or 20 churners: `status: insufficient_data` with a ' +
      '`reason`, and no user gets a probability. docs/models.md has the features, the ' +
      'retrain rule and the limits.',
    auth: READ,
    status: 200,
    returns:
      '`{status, reason, trained_at, next_training_after, cut_day, horizon_days, n, churners, base_rate, intercept, coefficients: [{feature, coefficient, mean, sd}], auc, auc_interval, brier, ece, top_decile_lift, hit_rate_at_3, holdout, scored_users}`',
  },
  insight(
    'users/at-risk',
    'Users by churn probability, with revenue at risk (DESIGN §7.10)',
    AtRiskQuerySchema,
    '`{status, reason, trained_at, currency, filters, users: [{uid, churn_probability, risk, engagement, tier, mrr, revenue_at_risk, top_factor: {feature, value, contribution}}], next_cursor}`',
    {
      description:
        'Highest probability first. `risk`: high ≥ 0.5, medium ≥ 0.2, else low. ' +
        "`revenue_at_risk` = churn_probability × the user's current MRR, in the site currency. " +
        'Without a trained model `users` is empty and `status` says why. ' +
        'Audited as a user-level read (`users.at_risk`: the filters and the number listed).',
    },
  ),
  {
    method: 'get',
    path: `${SITE}/users/{uid}/insights`,
    tag: 'Insights',
    summary: "One user's engagement, churn risk, factors and recommendations (DESIGN §7.10)",
    description:
      'Audited as a user-level read (`user.insights`, the uid as its SHA-256). `factors`: the ' +
      'three largest contributions coefficient × (value − mean) / sd; `baseline` + their sum + ' +
      '`other_contribution` = `logit`. `recommendations`: three features the user never used, ' +
      'by association rules within their tier (support ≥ 1%, n ≥ 30, lift > 1.2) × the ' +
      "feature's upgrade lift. With no model, probability and risk are null, never a number.",
    auth: READ,
    params: { uid: UidSchema },
    status: 200,
    returns:
      '`{uid, status, reason, trained_at, currency, tier, engagement, churn_probability, risk, logit, baseline, factors: [{feature, value, contribution}], other_contribution, mrr, revenue_at_risk, recommendations: [{feature, lift, because, score}], features_used, recent_activity: [{day, events, sessions, features, revenue}]}`',
    errors: [404],
  },
  {
    method: 'get',
    path: `${SITE}/alerts`,
    tag: 'Alerts',
    summary: "Alert rules, each series' state, and the webhook endpoint",
    auth: READ,
    status: 200,
    returns: '`{webhook, evaluated_at, rules: [{id, metric, …, snoozed_until, series}]}`',
  },
  {
    method: 'get',
    path: `${SITE}/alerts/deliveries`,
    tag: 'Alerts',
    summary: 'Webhook messages with their attempts, newest first',
    auth: READ,
    query: DeliveriesQuery,
    status: 200,
    returns: '`{deliveries: [{id, type, status, attempts, attempts_log, body, …}], next_cursor}`',
  },
  {
    method: 'post',
    path: `${SITE}/alerts/test`,
    tag: 'Alerts',
    summary: 'Send a test webhook now',
    auth: ADMIN,
    status: 200,
    returns: '`{delivery}`',
    errors: [409],
  },
  {
    method: 'post',
    path: `${SITE}/alerts/deliveries/{id}/redeliver`,
    tag: 'Alerts',
    summary: 'Send a webhook message again now',
    auth: ADMIN,
    status: 200,
    returns: '`{delivery}`',
    errors: [404, 409],
  },
  {
    method: 'post',
    path: `${SITE}/alerts/{rule}/snooze`,
    tag: 'Alerts',
    summary: 'Snooze an alert rule',
    auth: ADMIN,
    body: SnoozeBody,
    example: { for: '2h' },
    status: 200,
    returns: '`{rule, snoozed_until}`',
    errors: [404],
  },
  {
    method: 'delete',
    path: `${SITE}/alerts/{rule}/snooze`,
    tag: 'Alerts',
    summary: 'End an alert rule’s snooze',
    auth: ADMIN,
    status: 200,
    returns: '`{rule, snoozed_until: null}`',
  },
  {
    method: 'get',
    path: `${SITE}/audit`,
    tag: 'Compliance',
    summary: 'The audit log, newest first',
    description:
      'Every admin action and every read or export of one user or of raw events, with the key ' +
      'that did it. Append-only; kept for config audit_retention_days. A user is named by the ' +
      'SHA-256 of their uid, never the uid.',
    auth: ADMIN,
    query: AuditQuerySchema,
    status: 200,
    returns: '`{entries: [{id, at, key_id, action, target, details}], next_cursor}`',
  },
  {
    method: 'get',
    path: `${SITE}/export`,
    tag: 'Compliance',
    summary: 'Raw events as an NDJSON or CSV stream',
    description:
      'One event type after the other, each in time order, read a page of 1,000 at a time. Every ' +
      'line or record carries `cursor`, the position after it: a broken download resumes from ' +
      'the last whole line. At most `limit` events a response; NDJSON ends with ' +
      '`{"next_cursor"}` (null: all sent). CSV text cells starting with = + - @ get a leading apostrophe.',
    auth: ADMIN,
    query: ExportQuerySchema,
    status: 200,
    returns: 'NDJSON (one event per line, then `{next_cursor}`) or CSV with a header row',
    produces: ['application/x-ndjson', 'text/csv'],
  },
  {
    method: 'delete',
    path: `${SITE}/users/{uid}`,
    tag: 'Compliance',
    summary: "Erase one user's events and every row about them",
    description:
      'Events, per-user rollups, first-seen and connection rows, their rows in the ingest outbox ' +
      "and dead letters, and the site's stored answers, in one transaction; rollups without user " +
      'ids are rebuilt without them by the next cron run. Idempotent: nothing left answers zeros.',
    auth: ADMIN,
    params: { uid: UidSchema },
    status: 200,
    returns: '`{uid_sha256, removed: {<table>: rows}, erased_at}`',
  },
  {
    method: 'get',
    path: `${SITE}/users/{uid}/export`,
    tag: 'Compliance',
    summary: 'Everything held about one user (GDPR art. 15)',
    description:
      'One JSON document, streamed: their events and their rows of every rollup and model table. ' +
      'At most `limit` rows; `next_cursor` gives the rest.',
    auth: ADMIN,
    params: { uid: UidSchema },
    query: UserExportQuerySchema,
    status: 200,
    returns: '`{site, uid, exported_at, tables: {events, rollup_user_days, …}, next_cursor}`',
  },
]

/** Every error a route can answer: those its auth, parameters, query and body imply, and its own. */
export function errorsOf(route: RouteSpec): ErrorStatus[] {
  const codes = new Set<ErrorStatus>(route.errors)
  if (route.query || route.body || route.params) codes.add(400)
  // JSON of at most 256 KB (the collector: text/plain or JSON of at most 64 KB).
  if (route.body) codes.add(413).add(415)
  const { auth } = route
  if (auth === 'admin_token') {
    codes.add(401).add(403) // 403: no ADMIN_TOKEN is set on this Worker
  } else if (auth === 'public_or_ingest') {
    codes.add(401).add(403)
  } else if (auth !== 'none') {
    codes.add(401)
    if (route.path.includes('{site}') || auth.length < ROLES.length) codes.add(403)
  }
  // Every call is limited per client address, and per key where there is one; the collector
  // per key or per site and browser. Only the preflight is not.
  if (route.method !== 'options') codes.add(429)
  return [...codes].sort((a, b) => a - b)
}
