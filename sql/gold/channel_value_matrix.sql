-- table:   gold.channel_value_matrix
-- grain:   one row per period × sales_channel × other_channel (every pair of sales channels with purchasers in the period, itself included)
-- sources: stg_orders, stg_period_days, stg_periods, gold.channel_overlap, gold.channel_roi, gold.attribution_daily
-- owner:   the channel value matrix (METRICS.md): revenue share, overlap, repurchase rate, marketing ROI per sales channel
-- params:  :attribution_model, :markov_order, :margin, and stg_periods' (:from_date, :to_date, :period_types)
-- write:   periods
-- Per sales channel (the columns repeat on each of its other_channel rows):
--   revenue_share = its net revenue ÷ the period's (all orders);
--   repurchase_rate = its purchasers with purchases on 2+ days in it ÷ its purchasers;
--   marketing_roi = ROI of the marketing leading to it: each marketing channel's spend is shared out
--   over the sales channels of the conversions it is credited with (chosen model), in proportion to
--   that attributed revenue; ROI = (attributed revenue × margin − allocated spend) ÷ allocated spend,
--   over the marketing channels with spend. Spend of a channel credited with no revenue in the
--   period cannot be allocated and is left out (gold.channel_roi shows it).
-- jaccard / customers_both: purchaser overlap with other_channel (gold.channel_overlap); 1 on the
-- diagonal. A channel without identified purchasers has one row, other_channel itself, jaccard null.
WITH sales AS (
  SELECT p.period_type, p.period_start, o.sales_channel,
    sum(o.net_cny) AS revenue_cny,
    count(DISTINCT CASE WHEN o.is_purchase AND o.customer_id IS NOT NULL THEN o.customer_id END) AS customers
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  GROUP BY p.period_type, p.period_start, o.sales_channel
),

totals AS (
  SELECT period_type, period_start, sum(revenue_cny) AS revenue_cny
  FROM sales
  GROUP BY period_type, period_start
),

channel_days AS (
  SELECT p.period_type, p.period_start, o.sales_channel, o.customer_id, count(DISTINCT o.order_date) AS days
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  WHERE o.customer_id IS NOT NULL AND o.is_purchase
  GROUP BY p.period_type, p.period_start, o.sales_channel, o.customer_id
),

repurchase AS (
  SELECT period_type, period_start, sales_channel,
    count_if(days >= 2) / count(*) AS repurchase_rate
  FROM channel_days
  GROUP BY period_type, period_start, sales_channel
),

marketing AS (
  SELECT period_type, period_start, channel, spend_cny, attributed_revenue_cny
  FROM gold.channel_roi
  WHERE attribution_model = :attribution_model AND markov_order = :markov_order
    AND spend_cny > 0 AND attributed_revenue_cny > 0
),

credit_by_sales_channel AS (
  SELECT p.period_type, p.period_start, a.channel, a.sales_channel,
    CAST(sum(CAST(a.revenue_cny AS DECIMAL(38, 4))) AS DOUBLE) AS revenue_cny -- exact: see channel_roi
  FROM gold.attribution_daily AS a
  INNER JOIN stg_period_days AS p ON a.conversion_date = p.day
  WHERE a.model = :attribution_model AND a.markov_order = :markov_order
  GROUP BY p.period_type, p.period_start, a.channel, a.sales_channel
),

led AS (
  SELECT c.period_type, c.period_start, c.sales_channel,
    sum(c.revenue_cny) AS attributed_revenue_cny,
    sum(m.spend_cny * c.revenue_cny / m.attributed_revenue_cny) AS allocated_spend_cny
  FROM credit_by_sales_channel AS c
  INNER JOIN marketing AS m
    ON c.period_type = m.period_type AND c.period_start = m.period_start AND c.channel = m.channel
  GROUP BY c.period_type, c.period_start, c.sales_channel
),

overlap AS (
  SELECT period_type, period_start, channel_a AS sales_channel, channel_b AS other_channel, jaccard, customers_both
  FROM gold.channel_overlap
  WHERE level = 'channel'
  UNION ALL
  SELECT period_type, period_start, channel_b AS sales_channel, channel_a AS other_channel, jaccard, customers_both
  FROM gold.channel_overlap
  WHERE level = 'channel'
)

SELECT
  p.period_type,
  p.period_start,
  p.period_end,
  s.sales_channel,
  s.revenue_cny,
  round(CAST(s.revenue_cny / nullif(t.revenue_cny, 0) AS DOUBLE), 9) AS revenue_share,
  s.customers,
  round(r.repurchase_rate, 9) AS repurchase_rate,
  round(l.attributed_revenue_cny, 2) AS marketing_attributed_revenue_cny,
  round(l.allocated_spend_cny, 2) AS marketing_allocated_spend_cny,
  round((l.attributed_revenue_cny * :margin - l.allocated_spend_cny) / nullif(l.allocated_spend_cny, 0D), 9) AS marketing_roi,
  :attribution_model AS attribution_model,
  CAST(:markov_order AS INT) AS markov_order,
  coalesce(x.other_channel, s.sales_channel) AS other_channel,
  x.jaccard,
  coalesce(x.customers_both, 0) AS customers_both
FROM sales AS s
INNER JOIN stg_periods AS p ON s.period_type = p.period_type AND s.period_start = p.period_start
INNER JOIN totals AS t ON s.period_type = t.period_type AND s.period_start = t.period_start
LEFT JOIN repurchase AS r
  ON s.period_type = r.period_type AND s.period_start = r.period_start AND s.sales_channel = r.sales_channel
LEFT JOIN led AS l
  ON s.period_type = l.period_type AND s.period_start = l.period_start AND s.sales_channel = l.sales_channel
LEFT JOIN (
  SELECT period_type, period_start, sales_channel, other_channel, jaccard, customers_both FROM overlap
  UNION ALL
  SELECT period_type, period_start, sales_channel, sales_channel, 1D, customers FROM sales WHERE customers > 0
) AS x
  ON s.period_type = x.period_type AND s.period_start = x.period_start AND s.sales_channel = x.sales_channel
