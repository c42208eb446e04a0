-- table:   gold.customer_segments
-- grain:   one row per period × lifecycle_segment × is_high_value × is_high_value_at_risk of the latest CLV snapshot
-- sources: stg_customer_value, stg_orders, stg_period_days
-- owner:   high_value_revenue_share (and the segment counts behind the CLV dashboards)
-- params:  through stg_periods (:from_date, :to_date, :period_types) and stg_customer_value (:to_date)
-- write:   periods
-- Segments and flags are those of the latest CLV snapshot on or before the run date
-- (clv_run_date): customers, total and mean CLV and mean P(alive) describe that snapshot;
-- purchasing_customers and revenue_cny are what those customers bought in the period (net CNY).
-- Rows for the periods with orders only. No snapshot yet (the CLV stage skipped a young warehouse): no rows.
WITH segments AS (
  SELECT
    clv_run_date,
    lifecycle_segment,
    is_high_value,
    is_high_value_at_risk,
    count(*) AS customers,
    sum(clv_12m_cny) AS total_clv_cny,
    avg(clv_12m_cny) AS mean_clv_cny,
    avg(p_alive) AS mean_p_alive
  FROM stg_customer_value
  GROUP BY clv_run_date, lifecycle_segment, is_high_value, is_high_value_at_risk
),

active_periods AS (
  SELECT DISTINCT p.period_type, p.period_start, p.period_end
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
),

bought AS (
  SELECT p.period_type, p.period_start, v.lifecycle_segment, v.is_high_value, v.is_high_value_at_risk,
    count(DISTINCT CASE WHEN o.is_purchase THEN o.customer_id END) AS purchasing_customers,
    sum(o.net_cny) AS revenue_cny
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  INNER JOIN stg_customer_value AS v ON o.customer_id = v.customer_id
  GROUP BY p.period_type, p.period_start, v.lifecycle_segment, v.is_high_value, v.is_high_value_at_risk
)

SELECT
  p.period_type,
  p.period_start,
  p.period_end,
  s.clv_run_date,
  s.lifecycle_segment,
  s.is_high_value,
  s.is_high_value_at_risk,
  s.customers,
  coalesce(b.purchasing_customers, 0) AS purchasing_customers,
  CAST(coalesce(b.revenue_cny, 0) AS DECIMAL(18, 2)) AS revenue_cny,
  round(s.total_clv_cny, 2) AS total_clv_cny,
  round(s.mean_clv_cny, 4) AS mean_clv_cny,
  round(s.mean_p_alive, 9) AS mean_p_alive
FROM active_periods AS p
CROSS JOIN segments AS s
LEFT JOIN bought AS b
  ON p.period_type = b.period_type AND p.period_start = b.period_start
  AND s.lifecycle_segment = b.lifecycle_segment AND s.is_high_value = b.is_high_value
  AND s.is_high_value_at_risk = b.is_high_value_at_risk
