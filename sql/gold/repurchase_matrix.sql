-- table:   gold.repurchase_matrix
-- grain:   one row per period × level × from_channel × to_channel with at least one repeat occasion
-- sources: stg_occasions, stg_period_days
-- owner:   cross_channel_repurchase_rate (the from→to channel matrix and the online↔offline pair)
-- params:  through stg_periods (:from_date, :to_date, :period_types)
-- write:   periods
-- A repeat occasion is any purchase occasion but a customer's first; it goes from the sales
-- channel of the customer's previous occasion (which may precede the period) to its own.
-- level 'channel': sales channels; level 'group': offline (store) and online (all others).
WITH repeats AS (
  SELECT
    p.period_type,
    p.period_start,
    p.period_end,
    o.previous_sales_channel,
    o.sales_channel,
    o.previous_channel_group,
    o.channel_group
  FROM stg_occasions AS o
  INNER JOIN stg_period_days AS p ON o.order_date = p.day
  WHERE o.occasion_number > 1
),

by_level AS (
  SELECT period_type, period_start, period_end, 'channel' AS level,
    previous_sales_channel AS from_channel, sales_channel AS to_channel
  FROM repeats
  UNION ALL
  SELECT period_type, period_start, period_end, 'group' AS level,
    previous_channel_group AS from_channel, channel_group AS to_channel
  FROM repeats
),

counted AS (
  SELECT period_type, period_start, period_end, level, from_channel, to_channel, count(*) AS repeat_occasions
  FROM by_level
  GROUP BY period_type, period_start, period_end, level, from_channel, to_channel
)

SELECT
  period_type,
  period_start,
  period_end,
  level,
  from_channel,
  to_channel,
  repeat_occasions,
  round(repeat_occasions / sum(repeat_occasions) OVER (PARTITION BY period_type, period_start, level), 9)
    AS share_of_repeats,
  round(repeat_occasions / sum(repeat_occasions) OVER (PARTITION BY period_type, period_start, level, from_channel), 9)
    AS share_of_from_channel
FROM counted
