-- view:    stg_periods
-- grain:   one row per period_type × period_start that the run recomputes
-- sources: none (the run's parameters)
-- owner:   every period-based mart
-- params:  :from_date (first date recomputed: first run date − restate days), :to_date (run date),
--          :period_types (array of day, week, month, quarter)
-- A run over dates from..to recomputes every period holding one of those dates, each "to date":
-- period_end is the period's last day, or the run date when the period is still running. Weeks
-- start on Monday (ISO), quarters on 1 Jan / Apr / Jul / Oct.
WITH days AS (
  SELECT explode(sequence(:from_date, :to_date)) AS day
),

typed AS (
  SELECT period_type, day
  FROM days
  LATERAL VIEW explode(:period_types) t AS period_type
),

starts AS (
  SELECT DISTINCT
    period_type,
    CASE period_type
      WHEN 'day' THEN day
      WHEN 'week' THEN trunc(day, 'WEEK')
      WHEN 'month' THEN trunc(day, 'MM')
      WHEN 'quarter' THEN trunc(day, 'QUARTER')
    END AS period_start
  FROM typed
)

SELECT
  period_type,
  period_start,
  least(
    CASE period_type
      WHEN 'day' THEN period_start
      WHEN 'week' THEN date_add(period_start, 6)
      WHEN 'month' THEN last_day(period_start)
      WHEN 'quarter' THEN date_add(add_months(period_start, 3), -1)
    END,
    :to_date) AS period_end
FROM starts
