-- view:    stg_period_days
-- grain:   one row per recomputed period × day in it (up to the run date)
-- sources: stg_periods
-- owner:   every period-based mart (facts join it on their date, an equi-join)
-- params:  none
SELECT
  period_type,
  period_start,
  period_end,
  explode(sequence(period_start, period_end)) AS day
FROM stg_periods
