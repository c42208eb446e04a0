-- view:    stg_occasions
-- grain:   one row per purchase occasion (identified customer × business date with a purchase), whole history up to the run date
-- sources: stg_orders
-- owner:   repurchase rate, 90-day repurchase, cross-channel repurchase, new customers
-- params:  none
-- An occasion's sales channel is that of its first order (by ordered_at, then order_id), as in the
-- attribution and CLV stages. The previous occasion may lie before the recomputed periods: the
-- whole history is read.
WITH purchases AS (
  SELECT order_id, order_date, ordered_at, sales_channel, channel_group, customer_id, net_cny
  FROM stg_orders
  WHERE customer_id IS NOT NULL AND is_purchase
),

days AS (
  SELECT
    customer_id,
    order_date,
    min_by(sales_channel, struct(ordered_at, order_id)) AS sales_channel,
    min_by(channel_group, struct(ordered_at, order_id)) AS channel_group,
    sum(net_cny) AS value_cny,
    count(*) AS orders
  FROM purchases
  GROUP BY customer_id, order_date
),

numbered AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY customer_id ORDER BY order_date) AS occasion_number,
    lag(sales_channel) OVER (PARTITION BY customer_id ORDER BY order_date) AS previous_sales_channel,
    lag(channel_group) OVER (PARTITION BY customer_id ORDER BY order_date) AS previous_channel_group,
    min(order_date) OVER (PARTITION BY customer_id) AS first_purchase_date,
    min_by(sales_channel, order_date) OVER (PARTITION BY customer_id) AS acquisition_channel,
    nth_value(order_date, 2) OVER (PARTITION BY customer_id ORDER BY order_date
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_purchase_date
  FROM days
)

SELECT
  customer_id,
  order_date,
  sales_channel,
  channel_group,
  value_cny,
  orders,
  occasion_number,
  previous_sales_channel,
  previous_channel_group,
  first_purchase_date,
  second_purchase_date,
  acquisition_channel,
  occasion_number = 1 AS is_first_purchase
FROM numbered
