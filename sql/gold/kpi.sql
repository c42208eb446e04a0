-- table:   gold.kpi
-- grain:   one row per period × kpi × channel (a sales channel, a marketing channel, a source, or `all`)
-- sources: stg_orders, stg_occasions, stg_customer_value, stg_period_days, stg_periods,
--          gold.repurchase_matrix, gold.channel_overlap, gold.channel_roi, gold.attribution_journeys_daily,
--          silver.touchpoints, silver.customer_aliases, silver.identification_rate, ops.ingestion_log
-- owner:   every KPI of METRICS.md the data supports (listed with unit, formula and dimension in gold.kpi_catalog)
-- params:  :attribution_model, :markov_order (the ROI family), and stg_periods' (:from_date, :to_date, :period_types)
-- write:   periods
-- Long format: value, and for ratios the numerator and denominator it is made of (both null for
-- plain amounts and counts, whose value is the amount). Which channel a KPI is cut by is the
-- catalogue's channel_kind. Only periods with data have rows. The channel columns rolled up below
-- are never null in their sources (silver contracts), so a ROLLUP's null is the `all` row.
WITH orders_in AS (
  SELECT p.period_type, p.period_start, o.*
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
),

occasions_in AS (
  SELECT p.period_type, p.period_start, o.*
  FROM stg_occasions AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
),

-- revenue, orders and GMV per sales channel and all: sums and counts that need no customer
sales_by_channel AS (
  SELECT period_type, period_start, coalesce(sales_channel, 'all') AS channel,
    CAST(sum(net_cny) AS DOUBLE) AS revenue_cny,
    CAST(sum(gross_cny) AS DOUBLE) AS gmv_cny,
    CAST(count_if(is_purchase) AS DOUBLE) AS orders
  FROM orders_in
  GROUP BY period_type, period_start, ROLLUP (sales_channel)
),

-- Per-customer aggregates. stg_orders and stg_occasions are distributed by customer_id and
-- stg_period_days is broadcast, so a GROUP BY that holds customer_id runs where the rows are, with
-- no shuffle; only its small per-period results are shuffled. (count(DISTINCT customer_id) under a
-- ROLLUP had Spark expand and shuffle every order row once per grouping set.)
-- purchase_days: per channel, a customer's days with a purchase in it; customer_days: their occasions
purchase_days AS (
  SELECT period_type, period_start, customer_id, sales_channel, count(DISTINCT order_date) AS days
  FROM orders_in
  WHERE customer_id IS NOT NULL AND is_purchase
  GROUP BY period_type, period_start, customer_id, sales_channel
),

customer_days AS (
  SELECT period_type, period_start, customer_id, count(*) AS days
  FROM occasions_in
  GROUP BY period_type, period_start, customer_id
),

-- purchasing customers, and those with 2+ purchase days, per sales channel and all
purchasers AS (
  SELECT period_type, period_start, sales_channel AS channel, count(*) AS customers, count_if(days >= 2) AS repeaters
  FROM purchase_days
  GROUP BY period_type, period_start, sales_channel
  UNION ALL
  SELECT period_type, period_start, 'all', count(*), count_if(days >= 2)
  FROM customer_days
  GROUP BY period_type, period_start
),

-- The *_kpis below turn one row of an aggregate into one row per KPI with stack(), not with a UNION ALL
-- of one SELECT per KPI: Spark inlines a CTE at each reference, so every branch of such a UNION planned
-- the aggregate again. Same rows; on the S bench warehouse this model took 25.5 s instead of 33.2 s.
sales_kpis AS (
  SELECT s.period_type, s.period_start, k.kpi, s.channel, k.value, k.numerator, k.denominator
  FROM (
    SELECT s.*, CAST(coalesce(c.customers, 0) AS DOUBLE) AS customers
    FROM sales_by_channel AS s
    LEFT JOIN purchasers AS c
      ON s.period_type = c.period_type AND s.period_start = c.period_start AND s.channel = c.channel
  ) AS s
  LATERAL VIEW stack(5,
    'revenue', s.revenue_cny, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    'omnichannel_gmv', s.gmv_cny, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    'orders', s.orders, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    'customers', s.customers, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    'average_order_value', s.revenue_cny / nullif(s.orders, 0D), s.revenue_cny, s.orders
  ) k AS kpi, value, numerator, denominator
),

-- repurchase rate: purchasers with 2+ purchase days ÷ purchasers (per channel: days with a purchase in it)
repurchase AS (
  SELECT period_type, period_start, 'repurchase_rate' AS kpi, channel,
    CAST(repeaters AS DOUBLE) AS numerator, CAST(customers AS DOUBLE) AS denominator
  FROM purchasers
),

-- new customers and the 90-day cohort repurchase (channel: acquisition sales channel)
cohort AS (
  SELECT period_type, period_start, coalesce(acquisition_channel, 'all') AS channel,
    CAST(count(*) AS DOUBLE) AS new_customers,
    CAST(count_if(second_purchase_date <= date_add(first_purchase_date, 90)) AS DOUBLE) AS repeated_90d
  FROM occasions_in
  WHERE is_first_purchase
  GROUP BY period_type, period_start, ROLLUP (acquisition_channel)
),

cohort_kpis AS (
  SELECT c.period_type, c.period_start, k.kpi, c.channel, k.value, k.numerator, k.denominator
  FROM cohort AS c
  LATERAL VIEW stack(2,
    'new_customers', c.new_customers, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    'repurchase_rate_90d', c.repeated_90d / c.new_customers, c.repeated_90d, c.new_customers
  ) k AS kpi, value, numerator, denominator
),

-- cross-channel repurchase: repeat occasions in another sales channel than the previous one (per to-channel)
cross_repurchase AS (
  SELECT period_type, period_start, 'cross_channel_repurchase_rate' AS kpi, coalesce(to_channel, 'all') AS channel,
    CAST(sum(CASE WHEN from_channel <> to_channel THEN repeat_occasions ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(sum(repeat_occasions) AS DOUBLE) AS denominator
  FROM gold.repurchase_matrix
  WHERE level = 'channel'
  GROUP BY period_type, period_start, ROLLUP (to_channel)
),

-- cross-channel purchasers: bought in 2+ sales channels ÷ purchasers (per channel: among its purchasers)
buyer_channels AS (
  SELECT period_type, period_start, customer_id, collect_list(sales_channel) AS channels
  FROM purchase_days
  GROUP BY period_type, period_start, customer_id
),

cross_purchasers AS (
  SELECT period_type, period_start, 'cross_channel_purchaser_share' AS kpi, coalesce(channel, 'all') AS channel,
    CAST(count_if(size(channels) >= 2) AS DOUBLE) AS numerator, CAST(count(*) AS DOUBLE) AS denominator
  FROM (
    SELECT period_type, period_start, customer_id, channels, explode(channels) AS channel FROM buyer_channels
  )
  GROUP BY period_type, period_start, channel
  UNION ALL
  SELECT period_type, period_start, 'cross_channel_purchaser_share', 'all', count_if(size(channels) >= 2), count(*)
  FROM buyer_channels
  GROUP BY period_type, period_start
),

-- online/offline overlap (Jaccard), from the channel-overlap mart
overlap AS (
  SELECT period_type, period_start, 'online_offline_overlap' AS kpi, 'all' AS channel,
    CAST(customers_both AS DOUBLE) AS numerator, CAST(customers_either AS DOUBLE) AS denominator
  FROM gold.channel_overlap
  WHERE level = 'group' AND channel_a = 'offline' AND channel_b = 'online'
),

-- revenue of high-value customers (latest CLV snapshot) ÷ revenue
high_value AS (
  SELECT o.period_type, o.period_start, 'high_value_revenue_share' AS kpi, 'all' AS channel,
    CAST(sum(CASE WHEN v.is_high_value THEN o.net_cny ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(sum(o.net_cny) AS DOUBLE) AS denominator
  FROM orders_in AS o
  LEFT JOIN stg_customer_value AS v ON o.customer_id = v.customer_id
  WHERE EXISTS (SELECT 1 FROM stg_customer_value)
  GROUP BY o.period_type, o.period_start
),

-- marketing: spend, attributed conversions and revenue, ROAS, ROI, expense ratio, CAC, LTV (chosen model)
roi AS (
  SELECT * FROM gold.channel_roi
  WHERE attribution_model = :attribution_model AND markov_order = :markov_order
),

period_revenue AS (
  SELECT period_type, period_start, revenue_cny FROM sales_by_channel WHERE channel = 'all'
),

roi_all AS (
  SELECT r.period_type, r.period_start,
    sum(spend_cny) AS spend_cny,
    sum(CASE WHEN channel <> 'direct' THEN attributed_conversions ELSE 0 END) AS attributed_conversions,
    sum(CASE WHEN channel <> 'direct' THEN attributed_revenue_cny ELSE 0 END) AS attributed_revenue_cny,
    max(v.revenue_cny) AS revenue_cny,
    sum(new_customers) AS new_customers,
    sum(new_customers * mean_clv_acquired_cny) / nullif(sum(CASE WHEN mean_clv_acquired_cny IS NOT NULL THEN new_customers END), 0D)
      AS mean_clv_acquired_cny,
    max(margin) AS margin
  FROM roi AS r
  LEFT JOIN period_revenue AS v ON r.period_type = v.period_type AND r.period_start = v.period_start
  GROUP BY r.period_type, r.period_start
),

-- one row per KPI that applies to the row (applies): a channel's KPIs, then the same KPIs over all channels.
-- stack() evaluates every argument of every row, so each division guards its divisor with nullif (ANSI
-- mode fails a division by zero) even where applies drops the row.
marketing_kpis AS (
  SELECT r.period_type, r.period_start, k.kpi, r.channel, k.value, k.numerator, k.denominator
  FROM roi AS r
  LEFT JOIN period_revenue AS v ON r.period_type = v.period_type AND r.period_start = v.period_start
  LATERAL VIEW stack(9,
    'spend', CAST(r.spend_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), r.channel <> 'direct',
    'attributed_conversions', CAST(r.attributed_conversions AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), true,
    'attributed_revenue', CAST(r.attributed_revenue_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), true,
    'roas', CAST(r.roas AS DOUBLE), CAST(r.attributed_revenue_cny AS DOUBLE), CAST(r.spend_cny AS DOUBLE),
      r.roas IS NOT NULL,
    'roi', CAST(r.roi AS DOUBLE), CAST(r.attributed_revenue_cny * r.margin - r.spend_cny AS DOUBLE),
      CAST(r.spend_cny AS DOUBLE), r.roi IS NOT NULL,
    'marketing_expense_ratio', CAST(r.marketing_expense_ratio AS DOUBLE), CAST(r.spend_cny AS DOUBLE),
      CAST(v.revenue_cny AS DOUBLE), r.marketing_expense_ratio IS NOT NULL AND r.channel <> 'direct'
      AND v.period_start IS NOT NULL,
    'cac', CAST(r.cac_cny AS DOUBLE), CAST(r.spend_cny AS DOUBLE), CAST(r.new_customers AS DOUBLE),
      r.cac_cny IS NOT NULL,
    'ltv_acquired', CAST(r.mean_clv_acquired_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
      r.mean_clv_acquired_cny IS NOT NULL,
    'ltv_to_cac', CAST(r.ltv_to_cac AS DOUBLE), CAST(r.mean_clv_acquired_cny AS DOUBLE), CAST(r.cac_cny AS DOUBLE),
      r.ltv_to_cac IS NOT NULL
  ) k AS kpi, value, numerator, denominator, applies
  WHERE k.applies
  UNION ALL
  SELECT a.period_type, a.period_start, k.kpi, 'all', k.value, k.numerator, k.denominator
  FROM roi_all AS a
  LATERAL VIEW stack(9,
    'spend', CAST(a.spend_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), true,
    'attributed_conversions', CAST(a.attributed_conversions AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), true,
    'attributed_revenue', CAST(a.attributed_revenue_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), true,
    'roas', CAST(a.attributed_revenue_cny / nullif(a.spend_cny, 0) AS DOUBLE), CAST(a.attributed_revenue_cny AS DOUBLE),
      CAST(a.spend_cny AS DOUBLE), a.spend_cny > 0,
    'roi', CAST((a.attributed_revenue_cny * a.margin - a.spend_cny) / nullif(a.spend_cny, 0) AS DOUBLE),
      CAST(a.attributed_revenue_cny * a.margin - a.spend_cny AS DOUBLE), CAST(a.spend_cny AS DOUBLE), a.spend_cny > 0,
    'marketing_expense_ratio', CAST(a.spend_cny / nullif(a.revenue_cny, 0) AS DOUBLE), CAST(a.spend_cny AS DOUBLE),
      CAST(a.revenue_cny AS DOUBLE), a.revenue_cny <> 0,
    'cac', CAST(a.spend_cny / nullif(a.new_customers, 0) AS DOUBLE), CAST(a.spend_cny AS DOUBLE),
      CAST(a.new_customers AS DOUBLE), a.spend_cny > 0 AND a.new_customers > 0,
    'ltv_acquired', CAST(a.mean_clv_acquired_cny AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
      a.mean_clv_acquired_cny IS NOT NULL,
    'ltv_to_cac', CAST(a.mean_clv_acquired_cny / nullif(a.spend_cny / nullif(a.new_customers, 0), 0) AS DOUBLE),
      CAST(a.mean_clv_acquired_cny AS DOUBLE), CAST(a.spend_cny / nullif(a.new_customers, 0) AS DOUBLE),
      a.mean_clv_acquired_cny IS NOT NULL AND a.spend_cny > 0 AND a.new_customers > 0
  ) k AS kpi, value, numerator, denominator, applies
  WHERE k.applies
),

-- conversion rate: journeys touched by the channel that converted ÷ journeys touched by it
conversion AS (
  SELECT p.period_type, p.period_start, 'conversion_rate' AS kpi, j.channel,
    CAST(sum(j.converted_journeys) AS DOUBLE) AS numerator, CAST(sum(j.journeys) AS DOUBLE) AS denominator
  FROM gold.attribution_journeys_daily AS j
  INNER JOIN stg_period_days AS p ON j.end_date = p.day
  GROUP BY p.period_type, p.period_start, j.channel
),

-- average touch frequency: touches of identified customers ÷ distinct customers reached.
-- The _export_date bound is the earliest period start any period type can have (a week may start in
-- the quarter before); as a constant it prunes the table's partitions, so the marts read only the
-- periods' touches, not the whole log. Ingest holds each touch to its export date, so it drops no
-- touch the periods need.
-- The touch log keeps each touch's customer id as resolved when it landed: an id a later merge
-- absorbed is mapped to its current customer through silver.customer_aliases (broadcast by Spark
-- while it is under spark.sql.autoBroadcastJoinThreshold; no hint, so a large one cannot exhaust memory).
touches_in AS (
  SELECT t.event_date, t.channel, coalesce(a.customer_id, t.customer_id) AS customer_id
  FROM silver.touchpoints AS t
  LEFT JOIN silver.customer_aliases AS a ON t.customer_id = a.absorbed_customer_id
  WHERE t.customer_id IS NOT NULL AND t.event_date >= (SELECT min(period_start) FROM stg_periods) AND t.event_date <= :to_date
    AND t._export_date >= least(trunc(:from_date, 'WEEK'), trunc(:from_date, 'QUARTER'))
),

-- The touch log is the largest input, so it is shuffled once, by customer: every step below holds
-- customer_id in its keys and then runs where the rows are (stg_period_days is broadcast); only the
-- per-period counts are shuffled again. Grouped by (day, channel, customer) instead, each touch-day
-- row was shuffled again per period type, and again for the customers over all channels.
touch_days AS (
  SELECT customer_id, event_date, channel, count(*) AS touches
  FROM (SELECT * FROM touches_in DISTRIBUTE BY customer_id)
  GROUP BY customer_id, event_date, channel
),

-- Distinct customers reached in a period, counted without a (customer, period) group: a customer's
-- touch day opens the period for them when their previous touch day lies before the period's start
-- (or there is none): in that channel for the channel's count, in any channel for `all`. The previous
-- touch day in any channel is that of the row before in (day, channel) order; on the customer's later
-- rows of the same day it is that day, never before the period, so each day opens `all` once.
-- touches_in holds every day of every recomputed period, so a previous touch day inside the period is
-- never missing. Both windows run where the rows are (partitioned by customer). The (customer, period,
-- channel) groups they replace were 19.4 M, from 46 M rows, at 250,000 customers.
touch_reach AS (
  SELECT customer_id, channel, event_date, touches,
    lag(event_date) OVER (PARTITION BY customer_id, channel ORDER BY event_date) AS previous_channel_day,
    lag(event_date) OVER (PARTITION BY customer_id ORDER BY event_date, channel) AS previous_day
  FROM touch_days
),

touch_frequency AS (
  SELECT p.period_type, p.period_start, 'average_touch_frequency' AS kpi, c.channel,
    CAST(sum(r.touches) AS DOUBLE) AS numerator, CAST(count_if(c.opens) AS DOUBLE) AS denominator
  FROM touch_reach AS r
  INNER JOIN stg_period_days AS p ON r.event_date = p.day
  LATERAL VIEW stack(2,
    r.channel, r.previous_channel_day IS NULL OR r.previous_channel_day < p.period_start,
    'all', r.previous_day IS NULL OR r.previous_day < p.period_start
  ) c AS channel, opens
  GROUP BY p.period_type, p.period_start, c.channel
),

-- identification rate: orders (and revenue) linked to a customer ÷ all
identification AS (
  SELECT p.period_type, p.period_start, coalesce(i.sales_channel, 'all') AS channel,
    CAST(sum(i.count_identified_orders) AS DOUBLE) AS identified_orders,
    CAST(sum(i.count_orders) AS DOUBLE) AS orders,
    CAST(sum(i.identified_net_revenue_cny) AS DOUBLE) AS identified_revenue,
    CAST(sum(i.net_revenue_cny) AS DOUBLE) AS revenue
  FROM silver.identification_rate AS i
  INNER JOIN stg_period_days AS p ON i.order_date = p.day
  GROUP BY p.period_type, p.period_start, ROLLUP (i.sales_channel)
),

identification_kpis AS (
  SELECT i.period_type, i.period_start, k.kpi, i.channel, k.numerator, k.denominator
  FROM identification AS i
  LATERAL VIEW stack(2,
    'identification_rate', i.identified_orders, i.orders,
    'identified_revenue_share', i.identified_revenue, i.revenue
  ) k AS kpi, numerator, denominator
),

-- data accuracy: rows accepted ÷ rows read, per source (latest delivery of each file), by export date
deliveries AS (
  SELECT export_date, split_part(table_name, '__', 1) AS source,
    max_by(rows_accepted, ingested_at) AS rows_accepted, max_by(rows_read, ingested_at) AS rows_read
  FROM ops.ingestion_log
  WHERE status IN ('ingested', 'failed_gate')
  GROUP BY export_date, table_name, source_file
),

accuracy AS (
  SELECT p.period_type, p.period_start, 'data_accuracy' AS kpi, coalesce(d.source, 'all') AS channel,
    CAST(sum(d.rows_accepted) AS DOUBLE) AS numerator, CAST(sum(d.rows_read) AS DOUBLE) AS denominator
  FROM deliveries AS d
  INNER JOIN stg_period_days AS p ON d.export_date = p.day
  GROUP BY p.period_type, p.period_start, ROLLUP (d.source)
),

ratios AS (
  SELECT period_type, period_start, kpi, channel, numerator, denominator FROM repurchase
  UNION ALL SELECT * FROM cross_repurchase
  UNION ALL SELECT * FROM cross_purchasers
  UNION ALL SELECT * FROM overlap
  UNION ALL SELECT * FROM high_value
  UNION ALL SELECT * FROM conversion
  UNION ALL SELECT * FROM touch_frequency
  UNION ALL SELECT * FROM identification_kpis
  UNION ALL SELECT * FROM accuracy
),

all_kpis AS (
  SELECT period_type, period_start, kpi, channel, numerator / nullif(denominator, 0D) AS value, numerator, denominator
  FROM ratios
  WHERE denominator > 0
  UNION ALL SELECT period_type, period_start, kpi, channel, value, numerator, denominator FROM sales_kpis
  UNION ALL SELECT period_type, period_start, kpi, channel, value, numerator, denominator FROM cohort_kpis
  UNION ALL SELECT period_type, period_start, kpi, channel, value, numerator, denominator FROM marketing_kpis
)

SELECT
  p.period_type,
  p.period_start,
  p.period_end,
  k.kpi,
  k.channel,
  round(k.value, 9) AS value,
  round(k.numerator, 6) AS numerator,
  round(k.denominator, 6) AS denominator
FROM all_kpis AS k
INNER JOIN stg_periods AS p ON k.period_type = p.period_type AND k.period_start = p.period_start
WHERE k.value IS NOT NULL
