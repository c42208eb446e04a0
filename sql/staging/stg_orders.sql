-- view:    stg_orders
-- grain:   one row per order dated up to the run date (identified or not)
-- sources: silver.orders
-- owner:   revenue, orders, customers, GMV and the purchase-based marts
-- params:  :to_date
-- is_purchase: a fully refunded order (is_refunded and net_cny <= 0) is not a purchase, as in the
-- CLV stage; its net still counts in revenue (it is 0 or the negative of an over-refund).
-- Distributed by customer_id: the marts cache this view, and their per-customer aggregates (here
-- and in stg_occasions) then run on the cached partitions without shuffling the orders again.
-- Unidentified orders (a null customer_id) share one partition.
SELECT
  order_id,
  order_date,
  ordered_at,
  sales_channel,
  channel_group,
  customer_id,
  is_identified,
  gross_cny,
  net_cny,
  NOT (is_refunded AND net_cny <= 0) AS is_purchase
FROM silver.orders
WHERE order_date <= :to_date
DISTRIBUTE BY customer_id
