-- table:   gold.channel_overlap
-- grain:   one row per period × level × unordered pair of channels (channel_a < channel_b) that both had purchasers
-- sources: stg_orders, stg_period_days
-- owner:   online_offline_overlap (Jaccard) and the channel-pair overlap matrix
-- params:  through stg_periods (:from_date, :to_date, :period_types)
-- write:   periods
-- Purchasers are identified customers with a purchase (not fully refunded) in the period.
-- jaccard = customers who bought in both ÷ customers who bought in either.
-- level 'channel': sales channels; level 'group': the one pair offline × online.
WITH buyers AS (
  SELECT DISTINCT p.period_type, p.period_start, p.period_end, o.customer_id, o.sales_channel, o.channel_group
  FROM stg_orders AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  WHERE o.customer_id IS NOT NULL AND o.is_purchase
),

members AS (
  SELECT DISTINCT period_type, period_start, period_end, 'channel' AS level, sales_channel AS channel, customer_id
  FROM buyers
  UNION ALL
  SELECT DISTINCT period_type, period_start, period_end, 'group' AS level, channel_group AS channel, customer_id
  FROM buyers
),

sizes AS (
  SELECT period_type, period_start, period_end, level, channel, count(*) AS customers
  FROM members
  GROUP BY period_type, period_start, period_end, level, channel
),

shared AS (
  SELECT a.period_type, a.period_start, a.level, a.channel AS channel_a, b.channel AS channel_b,
    count(*) AS customers_both
  FROM members AS a
  INNER JOIN members AS b
    ON a.period_type = b.period_type AND a.period_start = b.period_start AND a.level = b.level
    AND a.customer_id = b.customer_id AND a.channel < b.channel
  GROUP BY a.period_type, a.period_start, a.level, a.channel, b.channel
),

pairs AS (
  SELECT sa.period_type, sa.period_start, sa.period_end, sa.level,
    sa.channel AS channel_a, sb.channel AS channel_b, sa.customers AS customers_a, sb.customers AS customers_b
  FROM sizes AS sa
  INNER JOIN sizes AS sb
    ON sa.period_type = sb.period_type AND sa.period_start = sb.period_start AND sa.level = sb.level
    AND sa.channel < sb.channel
)

SELECT
  pairs.period_type,
  pairs.period_start,
  pairs.period_end,
  pairs.level,
  pairs.channel_a,
  pairs.channel_b,
  pairs.customers_a,
  pairs.customers_b,
  coalesce(shared.customers_both, 0) AS customers_both,
  pairs.customers_a + pairs.customers_b - coalesce(shared.customers_both, 0) AS customers_either,
  round(coalesce(shared.customers_both, 0) / (pairs.customers_a + pairs.customers_b - coalesce(shared.customers_both, 0)), 9)
    AS jaccard
FROM pairs
LEFT JOIN shared
  ON pairs.period_type = shared.period_type AND pairs.period_start = shared.period_start
  AND pairs.level = shared.level AND pairs.channel_a = shared.channel_a AND pairs.channel_b = shared.channel_b
