-- Units (DESIGN §10): every rate in an answer is a fraction 0–1, and config `value_weights`
-- are fractions like their defaults (worker/schemas.ts now refuses a weight above 1).
--
-- Weights saved on the old 0–100 scale (any weight above 1) become fractions that score the
-- same: a score depends only on the ratios between weights, and a component left out kept its
-- default fraction, so the full set — stored weights, defaults for the rest — is divided by its
-- sum. {usage: 30, time: 10, revenue: 30, satisfaction: 15, retention: 15} becomes
-- {usage: 0.3, time: 0.1, …}. Weights already within 0–1 are left as they are.
UPDATE site_config
SET config = json_set(site_config.config, '$.value_weights', json_object(
  'usage', w.usage / w.total,
  'time', w.time / w.total,
  'revenue', w.revenue / w.total,
  'satisfaction', w.satisfaction / w.total,
  'retention', w.retention / w.total))
FROM (
  SELECT site_id, usage, time, revenue, satisfaction, retention,
    usage + time + revenue + satisfaction + retention AS total
  FROM (
    SELECT site_id,
      coalesce(json_extract(config, '$.value_weights.usage'), 0.25) * 1.0 AS usage,
      coalesce(json_extract(config, '$.value_weights.time'), 0.1) * 1.0 AS time,
      coalesce(json_extract(config, '$.value_weights.revenue'), 0.25) * 1.0 AS revenue,
      coalesce(json_extract(config, '$.value_weights.satisfaction'), 0.2) * 1.0 AS satisfaction,
      coalesce(json_extract(config, '$.value_weights.retention'), 0.2) * 1.0 AS retention
    FROM site_config
    WHERE json_type(config, '$.value_weights') = 'object'
  )
) AS w
WHERE w.site_id = site_config.site_id
  AND max(w.usage, w.time, w.revenue, w.satisfaction, w.retention) > 1;

-- Stored answers (migrations/0006) were computed with the old units: retention_impact in
-- percentage points, a drop-off type nobody entered at a drop rate of 0. None is served again.
DELETE FROM insight_answers;
