-- Gold: heart-rate statistics per workout session and time spent in each gym per day.

CREATE OR REFRESH MATERIALIZED VIEW gold.workout_bpm_summary (
  CONSTRAINT plausible_average EXPECT (avg_bpm BETWEEN 30 AND 230)
)
COMMENT 'Min/avg/max heart rate and number of readings per user, workout and session'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  b.user_id,
  b.workout_id,
  b.session_id,
  first(ub.age_bin) AS age_bin,
  first(ub.gender) AS gender,
  first(ub.city) AS city,
  first(ub.state) AS state,
  min(b.heartrate) AS min_bpm,
  round(avg(b.heartrate), 1) AS avg_bpm,
  max(b.heartrate) AS max_bpm,
  count(*) AS num_recordings
FROM silver.workout_bpm b
LEFT JOIN silver.user_bins ub ON ub.user_id = b.user_id
GROUP BY b.user_id, b.workout_id, b.session_id;

CREATE OR REFRESH MATERIALIZED VIEW gold.gym_summary
COMMENT 'Visits, members and minutes spent per gym per day, with the ISO week from the date lookup'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  g.gym,
  to_date(g.login) AS visit_date,
  first(d.week_part) AS week_part,
  count(*) AS visits,
  count(DISTINCT g.mac_address) AS members,
  CAST(sum((unix_timestamp(g.logout) - unix_timestamp(g.login)) / 60) AS BIGINT) AS minutes_in_gym
FROM silver.gym_logs g
LEFT JOIN bronze.date_lookup d ON d.`date` = to_date(g.login)
GROUP BY g.gym, to_date(g.login);
