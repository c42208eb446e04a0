-- table:   gold.channel_roi
-- grain:   one row per period × attribution model × marketing channel (and `direct`) with spend or credit
-- sources: silver.ad_spend, gold.attribution_daily, restricted.first_purchase_credit, stg_customer_value,
--          stg_orders, stg_periods, stg_period_days
-- owner:   spend, attributed_conversions, attributed_revenue, roas, roi, marketing_expense_ratio,
--          new_customers (attributed), cac, ltv_acquired, ltv_to_cac
-- params:  :margin, :markov_order, :attribution_model, and stg_periods' (:from_date, :to_date, :period_types)
-- write:   periods, markov_order
-- Credits are the attribution stage's per-conversion credits summed over the period's conversion
-- dates (gold.attribution_daily; the journey models — the experience split credits sales
-- channels, not marketing). Per channel and period:
--   roas = attributed revenue ÷ spend; roi = (attributed revenue × margin − spend) ÷ spend;
--   marketing_expense_ratio = spend ÷ the period's net revenue (all orders, all channels);
--   new_customers = attributed first purchases (restricted.first_purchase_credit) dated in the period;
--   cac = spend ÷ new_customers; mean_clv_acquired_cny = mean CLV (latest snapshot) of those
--   customers, weighted by their credit; ltv_to_cac = mean_clv_acquired_cny ÷ cac.
-- A channel with spend but no credit still has a row (for every model credited in the period and
-- the chosen model), and `direct` (no touch) has credit but no spend, so conversions, revenue and
-- new customers add up to the period's totals.
WITH spend AS (
  SELECT p.period_type, p.period_start, s.channel, sum(s.spend_cny) AS spend_cny
  FROM silver.ad_spend AS s
  INNER JOIN stg_period_days AS p ON s.spend_date = p.day
  GROUP BY p.period_type, p.period_start, s.channel
),

credited AS (
  SELECT p.period_type, p.period_start, a.model, a.channel,
    -- Summed as decimals at the precision attribution_daily stores (9 and 4 places): exact, so the
    -- rounding below cannot flip with the order a cluster happens to add the rows in.
    CAST(sum(CAST(a.conversions AS DECIMAL(38, 9))) AS DOUBLE) AS attributed_conversions,
    CAST(sum(CAST(a.revenue_cny AS DECIMAL(38, 4))) AS DOUBLE) AS attributed_revenue_cny
  FROM gold.attribution_daily AS a
  INNER JOIN stg_period_days AS p ON a.conversion_date = p.day
  WHERE a.markov_order = :markov_order AND a.model <> 'experience_split'
  GROUP BY p.period_type, p.period_start, a.model, a.channel
),

acquired AS (
  SELECT p.period_type, p.period_start, f.model, f.channel,
    CAST(sum(CAST(f.conversions AS DECIMAL(38, 9))) AS DOUBLE) AS new_customers,
    sum(f.conversions * v.clv_12m_cny) AS clv_weighted_cny,
    sum(CASE WHEN v.customer_id IS NOT NULL THEN f.conversions END) AS clv_weight,
    max(v.clv_run_date) AS clv_run_date
  FROM restricted.first_purchase_credit AS f
  INNER JOIN stg_period_days AS p ON f.first_purchase_date = p.day
  LEFT JOIN stg_customer_value AS v ON f.customer_id = v.customer_id
  WHERE f.markov_order = :markov_order AND f.model <> 'experience_split'
  GROUP BY p.period_type, p.period_start, f.model, f.channel
),

revenue AS (
  SELECT p.period_type, p.period_start, sum(o.net_cny) AS revenue_cny
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  GROUP BY p.period_type, p.period_start
),

models AS (
  SELECT DISTINCT period_type, period_start, model FROM credited
  UNION
  SELECT period_type, period_start, :attribution_model AS model FROM stg_periods
),

channel_keys AS (
  SELECT period_type, period_start, model, channel FROM credited
  UNION
  SELECT m.period_type, m.period_start, m.model, s.channel
  FROM models AS m
  INNER JOIN spend AS s ON m.period_type = s.period_type AND m.period_start = s.period_start
),

joined AS (
  SELECT
    k.period_type,
    k.period_start,
    k.model,
    k.channel,
    CAST(coalesce(s.spend_cny, 0) AS DOUBLE) AS spend_cny,
    coalesce(c.attributed_conversions, 0D) AS attributed_conversions,
    coalesce(c.attributed_revenue_cny, 0D) AS attributed_revenue_cny,
    CAST(r.revenue_cny AS DOUBLE) AS revenue_cny,
    coalesce(a.new_customers, 0D) AS new_customers,
    a.clv_weighted_cny / nullif(a.clv_weight, 0D) AS mean_clv_acquired_cny,
    a.clv_run_date
  FROM channel_keys AS k
  LEFT JOIN spend AS s ON k.period_type = s.period_type AND k.period_start = s.period_start AND k.channel = s.channel
  LEFT JOIN credited AS c
    ON k.period_type = c.period_type AND k.period_start = c.period_start AND k.model = c.model AND k.channel = c.channel
  LEFT JOIN acquired AS a
    ON k.period_type = a.period_type AND k.period_start = a.period_start AND k.model = a.model AND k.channel = a.channel
  LEFT JOIN revenue AS r ON k.period_type = r.period_type AND k.period_start = r.period_start
),

rated AS (
  SELECT
    *,
    CASE WHEN spend_cny > 0 THEN attributed_revenue_cny / spend_cny END AS roas,
    CASE WHEN spend_cny > 0 THEN (attributed_revenue_cny * :margin - spend_cny) / spend_cny END AS roi,
    CASE WHEN revenue_cny <> 0 THEN spend_cny / revenue_cny END AS marketing_expense_ratio,
    CASE WHEN spend_cny > 0 AND new_customers > 0 THEN spend_cny / new_customers END AS cac_cny
  FROM joined
)

SELECT
  p.period_type,
  p.period_start,
  p.period_end,
  r.model AS attribution_model,
  CAST(:markov_order AS INT) AS markov_order,
  r.channel,
  round(r.spend_cny, 2) AS spend_cny,
  round(r.attributed_conversions, 6) AS attributed_conversions,
  round(r.attributed_revenue_cny, 2) AS attributed_revenue_cny,
  round(r.roas, 9) AS roas,
  round(r.roi, 9) AS roi,
  round(r.marketing_expense_ratio, 9) AS marketing_expense_ratio,
  round(r.new_customers, 6) AS new_customers,
  round(r.cac_cny, 4) AS cac_cny,
  round(r.mean_clv_acquired_cny, 4) AS mean_clv_acquired_cny,
  round(r.mean_clv_acquired_cny / r.cac_cny, 9) AS ltv_to_cac,
  CAST(:margin AS DOUBLE) AS margin,
  r.clv_run_date
FROM rated AS r
INNER JOIN stg_periods AS p ON r.period_type = p.period_type AND r.period_start = p.period_start
