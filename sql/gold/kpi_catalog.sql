-- table:   gold.kpi_catalog
-- grain:   one row per kpi of gold.kpi
-- sources: none (the definitions of METRICS.md, "KPIs")
-- owner:   every KPI: its label, unit, formula, evaluation dimension and what its channel column holds
-- params:  none
-- write:   overwrite
-- channel_kind: what gold.kpi.channel holds for the KPI besides `all`: a sales channel, a marketing
-- channel (attribution credits also have `direct`), a source (export), or nothing (`all` only).
SELECT kpi, label, unit, formula, dimension, channel_kind
FROM VALUES
  ('revenue', 'Net revenue', 'CNY', 'sum of net_cny (gross − refunds) of the orders dated in the period', 'user_value', 'sales'),
  ('omnichannel_gmv', 'Omnichannel GMV', 'CNY', 'sum of gross_cny of the orders dated in the period, all sales channels', 'user_value', 'sales'),
  ('orders', 'Orders', 'count', 'orders dated in the period, fully refunded ones excluded', 'user_value', 'sales'),
  ('customers', 'Purchasing customers', 'count', 'distinct identified customers with a purchase in the period', 'user_value', 'sales'),
  ('average_order_value', 'Average order value', 'CNY', 'revenue ÷ orders', 'user_value', 'sales'),
  ('new_customers', 'New customers', 'count', 'identified customers whose first purchase is in the period (channel: acquisition sales channel)', 'user_value', 'sales'),
  ('repurchase_rate', 'Repurchase rate', 'share', 'purchasers with purchases on 2+ days in the period ÷ purchasers (per channel: days with a purchase in it)', 'user_value', 'sales'),
  ('repurchase_rate_90d', '90-day repurchase rate (cohort)', 'share', 'first-time buyers of the period who bought again within 90 days (as of the run date) ÷ first-time buyers', 'user_value', 'sales'),
  ('high_value_revenue_share', 'High-value revenue share', 'share', 'net revenue of is_high_value customers (latest CLV snapshot) ÷ net revenue', 'user_value', 'none'),
  ('ltv_acquired', 'LTV of acquired customers', 'CNY', 'mean 12-month CLV (latest snapshot) of the customers whose first purchase in the period the channel is credited with, credit-weighted', 'user_value', 'marketing'),
  ('cross_channel_repurchase_rate', 'Cross-channel repurchase rate', 'share', 'repeat occasions in another sales channel than the previous occasion ÷ repeat occasions (per channel: repeats in it)', 'channel_synergy', 'sales'),
  ('cross_channel_purchaser_share', 'Cross-channel purchaser share', 'share', 'purchasers who bought in 2+ sales channels in the period ÷ purchasers (per channel: among its purchasers)', 'channel_synergy', 'sales'),
  ('online_offline_overlap', 'Online/offline overlap', 'share', 'customers who bought online and offline ÷ customers who bought in either (Jaccard)', 'channel_synergy', 'none'),
  ('spend', 'Marketing spend', 'CNY', 'sum of spend_cny of silver.ad_spend dated in the period', 'operating_efficiency', 'marketing'),
  ('attributed_conversions', 'Attributed conversions', 'count', 'purchase occasions credited to the channel by the attribution model (Markov order 1 by default)', 'operating_efficiency', 'marketing'),
  ('attributed_revenue', 'Attributed revenue', 'CNY', 'conversion value credited to the channel by the attribution model', 'operating_efficiency', 'marketing'),
  ('roas', 'ROAS', 'ratio', 'attributed revenue ÷ spend', 'operating_efficiency', 'marketing'),
  ('roi', 'ROI', 'ratio', '(attributed revenue × margin − spend) ÷ spend', 'operating_efficiency', 'marketing'),
  ('marketing_expense_ratio', 'Marketing expense ratio', 'share', 'spend ÷ net revenue of the period (all channels)', 'operating_efficiency', 'marketing'),
  ('cac', 'Customer acquisition cost', 'CNY', 'spend ÷ attributed first purchases (new customers); all: total spend ÷ all new customers', 'operating_efficiency', 'marketing'),
  ('ltv_to_cac', 'LTV : CAC', 'ratio', 'ltv_acquired ÷ cac', 'operating_efficiency', 'marketing'),
  ('conversion_rate', 'Conversion rate', 'share', 'journeys touched by the channel that converted ÷ journeys touched by it (by journey end date)', 'operating_efficiency', 'marketing'),
  ('average_touch_frequency', 'Average touch frequency', 'touches per customer', 'touches of identified customers ÷ distinct customers reached', 'operating_efficiency', 'marketing'),
  ('identification_rate', 'Identification rate', 'share', 'orders linked to an identified customer ÷ all orders', 'data_quality', 'sales'),
  ('identified_revenue_share', 'Identified revenue share', 'share', 'net revenue of orders linked to an identified customer ÷ net revenue', 'data_quality', 'sales'),
  ('data_accuracy', 'Data accuracy', 'share', 'export rows accepted ÷ rows read (latest delivery of each file), by export date', 'data_quality', 'source')
  AS catalog(kpi, label, unit, formula, dimension, channel_kind)
