-- table:   gold.clv_distribution
-- grain:   one row per period × CLV bucket of the latest CLV snapshot (every bucket, empty ones with 0)
-- sources: stg_customer_value, stg_orders, stg_period_days
-- owner:   the CLV distribution of the evaluation report and the customer-value dashboards
-- params:  through stg_periods (:from_date, :to_date, :period_types) and stg_customer_value (:to_date)
-- write:   periods
-- The histogram of the 12-month CLV (clv_12m_cny) over the customers of the latest CLV snapshot on
-- or before the run date (clv_run_date), so that a dashboard shows the distribution without
-- reading customer-level rows. Buckets are fixed CNY edges, roughly logarithmic, so every period
-- and snapshot is cut the same way: bucket k holds lower_cny <= clv < upper_cny (lower_cny null:
-- below the first edge, negative values included; upper_cny null: the top bucket). Per bucket:
-- customers, their share of the snapshot's customers, the high-value and high-value-at-risk among
-- them, and their total CLV. Like gold.customer_segments, the snapshot is repeated for each period
-- with orders; no snapshot yet: no rows.
WITH edges AS (
  SELECT bucket, lower_cny, lead(lower_cny) OVER (ORDER BY bucket) AS upper_cny
  FROM VALUES (1, CAST(NULL AS DOUBLE)), (2, 50D), (3, 100D), (4, 200D), (5, 300D), (6, 500D), (7, 750D),
    (8, 1000D), (9, 1500D), (10, 2000D), (11, 3000D), (12, 5000D), (13, 10000D) AS e(bucket, lower_cny)
),

buckets AS (
  SELECT
    e.bucket,
    e.lower_cny,
    e.upper_cny,
    max(v.clv_run_date) AS clv_run_date,
    count(v.customer_id) AS customers,
    count_if(v.is_high_value) AS high_value_customers,
    count_if(v.is_high_value_at_risk) AS high_value_at_risk_customers,
    coalesce(sum(v.clv_12m_cny), 0D) AS total_clv_cny
  FROM edges AS e
  LEFT JOIN stg_customer_value AS v
    ON (e.lower_cny IS NULL OR v.clv_12m_cny >= e.lower_cny) AND (e.upper_cny IS NULL OR v.clv_12m_cny < e.upper_cny)
  GROUP BY e.bucket, e.lower_cny, e.upper_cny
),

-- the snapshot's date and size, from the buckets (every customer is in exactly one)
histogram AS (
  SELECT *, max(clv_run_date) OVER () AS snapshot_date, sum(customers) OVER () AS snapshot_customers
  FROM buckets
),

active_periods AS (
  SELECT DISTINCT p.period_type, p.period_start, p.period_end
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
)

SELECT
  p.period_type,
  p.period_start,
  p.period_end,
  b.snapshot_date AS clv_run_date,
  b.bucket,
  b.lower_cny,
  b.upper_cny,
  CASE
    WHEN b.lower_cny IS NULL THEN concat('< ', format_number(b.upper_cny, 0))
    WHEN b.upper_cny IS NULL THEN concat('>= ', format_number(b.lower_cny, 0))
    ELSE concat(format_number(b.lower_cny, 0), '–', format_number(b.upper_cny, 0))
  END AS label,
  b.customers,
  round(b.customers / b.snapshot_customers, 9) AS share,
  b.high_value_customers,
  b.high_value_at_risk_customers,
  round(b.total_clv_cny, 2) AS total_clv_cny
FROM active_periods AS p
CROSS JOIN histogram AS b
WHERE b.snapshot_customers > 0
