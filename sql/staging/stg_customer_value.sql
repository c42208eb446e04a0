-- view:    stg_customer_value
-- grain:   one row per customer of the latest CLV snapshot on or before the run date
-- sources: restricted.customer_value
-- owner:   mean CLV of acquired customers (LTV), high-value revenue share, customer segments
-- params:  :to_date
-- The CLV stage writes one snapshot per run date (and may skip a young warehouse); the marts use
-- the latest one, named in their clv_run_date column. No snapshot: no rows, and CLV columns are null.
SELECT
  run_date AS clv_run_date,
  customer_id,
  clv_12m_cny,
  p_alive,
  lifecycle_segment,
  is_high_value,
  is_high_value_at_risk
FROM restricted.customer_value
WHERE run_date = (SELECT max(run_date) FROM restricted.customer_value WHERE run_date <= :to_date)
