-- table:   gold.kpi
-- grain:   one row per period × kpi × channel (a sales channel, a marketing channel, a source, or `all`)
-- sources: stg_orders, stg_occasions, stg_customer_value, stg_period_days, stg_periods,
--          gold.repurchase_matrix, gold.channel_overlap, gold.channel_roi, gold.attribution_journeys_daily,
--          silver.touchpoints, silver.identification_rate, ops.ingestion_log
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

-- revenue, orders, GMV, purchasing customers, per sales channel and all
sales_by_channel AS (
  SELECT period_type, period_start, coalesce(sales_channel, 'all') AS channel,
    CAST(sum(net_cny) AS DOUBLE) AS revenue_cny,
    CAST(sum(gross_cny) AS DOUBLE) AS gmv_cny,
    CAST(count_if(is_purchase) AS DOUBLE) AS orders,
    CAST(count(DISTINCT CASE WHEN is_purchase THEN customer_id END) AS DOUBLE) AS customers
  FROM orders_in
  GROUP BY period_type, period_start, ROLLUP (sales_channel)
),

sales_kpis AS (
  SELECT period_type, period_start, 'revenue' AS kpi, channel, revenue_cny AS value,
    CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator FROM sales_by_channel
  UNION ALL
  SELECT period_type, period_start, 'omnichannel_gmv', channel, gmv_cny, NULL, NULL FROM sales_by_channel
  UNION ALL
  SELECT period_type, period_start, 'orders', channel, orders, NULL, NULL FROM sales_by_channel
  UNION ALL
  SELECT period_type, period_start, 'customers', channel, customers, NULL, NULL FROM sales_by_channel
  UNION ALL
  SELECT period_type, period_start, 'average_order_value', channel, revenue_cny / nullif(orders, 0D), revenue_cny, orders
  FROM sales_by_channel
),

-- repurchase rate: purchasers with 2+ purchase days ÷ purchasers (per channel: days with a purchase in it)
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

repurchase AS (
  SELECT period_type, period_start, 'repurchase_rate' AS kpi, sales_channel AS channel,
    CAST(count_if(days >= 2) AS DOUBLE) AS numerator, CAST(count(*) AS DOUBLE) AS denominator
  FROM purchase_days
  GROUP BY period_type, period_start, sales_channel
  UNION ALL
  SELECT period_type, period_start, 'repurchase_rate', 'all', count_if(days >= 2), count(*)
  FROM customer_days
  GROUP BY period_type, period_start
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
  SELECT period_type, period_start, 'new_customers' AS kpi, channel, new_customers AS value,
    CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator FROM cohort
  UNION ALL
  SELECT period_type, period_start, 'repurchase_rate_90d', channel, repeated_90d / new_customers, repeated_90d, new_customers
  FROM cohort
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
  SELECT period_type, period_start, customer_id, collect_set(sales_channel) AS channels
  FROM orders_in
  WHERE customer_id IS NOT NULL AND is_purchase
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

marketing_kpis AS (
  SELECT period_type, period_start, 'spend' AS kpi, channel, spend_cny AS value,
    CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator FROM roi WHERE channel <> 'direct'
  UNION ALL
  SELECT period_type, period_start, 'attributed_conversions', channel, attributed_conversions, NULL, NULL FROM roi
  UNION ALL
  SELECT period_type, period_start, 'attributed_revenue', channel, attributed_revenue_cny, NULL, NULL FROM roi
  UNION ALL
  SELECT period_type, period_start, 'roas', channel, roas, attributed_revenue_cny, spend_cny FROM roi WHERE roas IS NOT NULL
  UNION ALL
  SELECT period_type, period_start, 'roi', channel, roi, attributed_revenue_cny * margin - spend_cny, spend_cny
  FROM roi WHERE roi IS NOT NULL
  UNION ALL
  SELECT r.period_type, r.period_start, 'marketing_expense_ratio', r.channel, r.marketing_expense_ratio, r.spend_cny,
    v.revenue_cny
  FROM roi AS r
  INNER JOIN period_revenue AS v ON r.period_type = v.period_type AND r.period_start = v.period_start
  WHERE r.marketing_expense_ratio IS NOT NULL AND r.channel <> 'direct'
  UNION ALL
  SELECT period_type, period_start, 'cac', channel, cac_cny, spend_cny, new_customers FROM roi WHERE cac_cny IS NOT NULL
  UNION ALL
  SELECT period_type, period_start, 'ltv_acquired', channel, mean_clv_acquired_cny, NULL, NULL
  FROM roi WHERE mean_clv_acquired_cny IS NOT NULL
  UNION ALL
  SELECT period_type, period_start, 'ltv_to_cac', channel, ltv_to_cac, mean_clv_acquired_cny, cac_cny
  FROM roi WHERE ltv_to_cac IS NOT NULL
  UNION ALL
  SELECT period_type, period_start, 'spend', 'all', spend_cny, NULL, NULL FROM roi_all
  UNION ALL
  SELECT period_type, period_start, 'attributed_conversions', 'all', attributed_conversions, NULL, NULL FROM roi_all
  UNION ALL
  SELECT period_type, period_start, 'attributed_revenue', 'all', attributed_revenue_cny, NULL, NULL FROM roi_all
  UNION ALL
  SELECT period_type, period_start, 'roas', 'all', attributed_revenue_cny / spend_cny, attributed_revenue_cny, spend_cny
  FROM roi_all WHERE spend_cny > 0
  UNION ALL
  SELECT period_type, period_start, 'roi', 'all', (attributed_revenue_cny * margin - spend_cny) / spend_cny,
    attributed_revenue_cny * margin - spend_cny, spend_cny
  FROM roi_all WHERE spend_cny > 0
  UNION ALL
  SELECT period_type, period_start, 'marketing_expense_ratio', 'all', spend_cny / revenue_cny, spend_cny, revenue_cny
  FROM roi_all WHERE revenue_cny <> 0
  UNION ALL
  SELECT period_type, period_start, 'cac', 'all', spend_cny / new_customers, spend_cny, new_customers
  FROM roi_all WHERE spend_cny > 0 AND new_customers > 0
  UNION ALL
  SELECT period_type, period_start, 'ltv_acquired', 'all', mean_clv_acquired_cny, NULL, NULL
  FROM roi_all WHERE mean_clv_acquired_cny IS NOT NULL
  UNION ALL
  SELECT period_type, period_start, 'ltv_to_cac', 'all', mean_clv_acquired_cny / (spend_cny / new_customers),
    mean_clv_acquired_cny, spend_cny / new_customers
  FROM roi_all WHERE mean_clv_acquired_cny IS NOT NULL AND spend_cny > 0 AND new_customers > 0
),

-- conversion rate: journeys touched by the channel that converted ÷ journeys touched by it
conversion AS (
  SELECT p.period_type, p.period_start, 'conversion_rate' AS kpi, j.channel,
    CAST(sum(j.converted_journeys) AS DOUBLE) AS numerator, CAST(sum(j.journeys) AS DOUBLE) AS denominator
  FROM gold.attribution_journeys_daily AS j
  INNER JOIN stg_period_days AS p ON j.end_date = p.day
  GROUP BY p.period_type, p.period_start, j.channel
),

-- average touch frequency: touches of identified customers ÷ distinct customers reached
-- (touches are first counted per day, channel and customer: the touch log is the largest input).
-- The _export_date bound is the earliest period start any period type can have (a week may start in
-- the quarter before); as a constant it prunes the table's partitions, so the marts read only the
-- periods' touches, not the whole log. Ingest holds each touch to its export date, so it drops no
-- touch the periods need.
touch_days AS (
  SELECT event_date, channel, customer_id, count(*) AS touches
  FROM silver.touchpoints
  WHERE customer_id IS NOT NULL AND event_date >= (SELECT min(period_start) FROM stg_periods) AND event_date <= :to_date
    AND _export_date >= least(trunc(:from_date, 'WEEK'), trunc(:from_date, 'QUARTER'))
  GROUP BY event_date, channel, customer_id
),

-- one row per period, channel and customer reached; then per customer over all channels. Counting rows
-- of these instead of count(DISTINCT customer_id) under a ROLLUP keeps Spark from expanding every
-- touch-day row four times (two grouping sets × distinct and plain aggregates). At 10^6 customers
-- × 31 days (64 shuffle partitions) this model took 249 s instead of 322 s (docs/BENCHMARKS.md).
touch_customers AS (
  SELECT p.period_type, p.period_start, t.channel, t.customer_id, sum(t.touches) AS touches
  FROM touch_days AS t
  INNER JOIN stg_period_days AS p ON t.event_date = p.day
  GROUP BY p.period_type, p.period_start, t.channel, t.customer_id
),

touch_reach AS (
  SELECT period_type, period_start, customer_id, sum(touches) AS touches
  FROM touch_customers
  GROUP BY period_type, period_start, customer_id
),

touch_frequency AS (
  SELECT period_type, period_start, 'average_touch_frequency' AS kpi, channel,
    CAST(sum(touches) AS DOUBLE) AS numerator, CAST(count(*) AS DOUBLE) AS denominator
  FROM touch_customers
  GROUP BY period_type, period_start, channel
  UNION ALL
  SELECT period_type, period_start, 'average_touch_frequency', 'all', CAST(sum(touches) AS DOUBLE),
    CAST(count(*) AS DOUBLE)
  FROM touch_reach
  GROUP BY period_type, period_start
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
  SELECT period_type, period_start, 'identification_rate' AS kpi, channel, identified_orders AS numerator,
    orders AS denominator FROM identification
  UNION ALL
  SELECT period_type, period_start, 'identified_revenue_share', channel, identified_revenue, revenue FROM identification
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
