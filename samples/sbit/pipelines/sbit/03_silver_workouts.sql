-- Silver, workouts and heart rate: payloads parsed out of the multiplex, bad readings quarantined, starts paired with
-- stops, readings matched to the workouts they belong to.

CREATE OR REFRESH STREAMING TABLE workouts (
  CONSTRAINT valid_action EXPECT (action IS NOT NULL AND action IN ('start', 'stop')) ON VIOLATION DROP ROW,
  CONSTRAINT valid_session EXPECT (user_id IS NOT NULL AND session_id IS NOT NULL) ON VIOLATION DROP ROW
)
COMMENT 'Workout start/stop events from the workout topic (redelivered records are kept; consumers dedupe)'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  payload.user_id,
  payload.workout_id,
  payload.session_id,
  payload.action,
  to_timestamp(payload.`timestamp`) AS time,
  `offset` AS kafka_offset
FROM (
  SELECT `offset`, from_json(`value`, 'user_id BIGINT, workout_id INT, session_id INT, action STRING, `timestamp` STRING') AS payload
  FROM STREAM(bronze.kafka_multiplex)
  WHERE topic = 'workout'
);

CREATE OR REFRESH STREAMING TABLE heart_rate (
  CONSTRAINT valid_device EXPECT (device_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_heartrate EXPECT (heartrate IS NOT NULL AND heartrate > 0) ON VIOLATION DROP ROW,
  -- Every reading the sensors send carries a time; a missing one means the feed format changed.
  CONSTRAINT has_time EXPECT (time IS NOT NULL) ON VIOLATION FAIL UPDATE
)
PARTITIONED BY (reading_date)
COMMENT 'Heart-rate readings from the bpm topic; readings with no device or a heart rate <= 0 are quarantined'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  try_cast(get_json_object(`value`, '$.device_id') AS BIGINT) AS device_id,
  try_cast(get_json_object(`value`, '$.time') AS TIMESTAMP) AS time,
  try_cast(get_json_object(`value`, '$.heartrate') AS DOUBLE) AS heartrate,
  to_date(try_cast(get_json_object(`value`, '$.time') AS TIMESTAMP)) AS reading_date,
  `offset` AS kafka_offset
FROM STREAM(bronze.kafka_multiplex)
WHERE topic = 'bpm';

CREATE TEMPORARY VIEW workout_events
COMMENT 'Workout events without redelivered copies'
AS SELECT DISTINCT user_id, workout_id, session_id, action, time
FROM workouts;

CREATE OR REFRESH MATERIALIZED VIEW completed_workouts
COMMENT 'Workouts whose stop came after the start and at most 3 hours later'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  s.user_id,
  s.workout_id,
  s.session_id,
  s.time AS start_time,
  e.time AS end_time
FROM workout_events s
JOIN workout_events e
  ON e.user_id = s.user_id AND e.workout_id = s.workout_id AND e.session_id = s.session_id
WHERE s.action = 'start'
  AND e.action = 'stop'
  AND unix_timestamp(e.time) - unix_timestamp(s.time) BETWEEN 1 AND 3 * 3600;

CREATE OR REFRESH MATERIALIZED VIEW workout_bpm
COMMENT 'Heart-rate readings taken during a completed workout, one row per reading'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  w.user_id,
  w.workout_id,
  w.session_id,
  h.time,
  h.heartrate,
  w.start_time,
  w.end_time
FROM completed_workouts w
JOIN users u ON u.user_id = w.user_id
JOIN (SELECT DISTINCT device_id, time, heartrate FROM heart_rate) h
  ON h.device_id = u.device_id AND h.time BETWEEN w.start_time AND w.end_time;

CREATE OR REFRESH MATERIALIZED VIEW gym_logs
COMMENT 'Gym visits without redelivered copies, with the member they belong to'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT DISTINCT
  g.mac_address,
  u.user_id,
  g.gym,
  g.login,
  g.logout
FROM bronze.gym_logins g
LEFT JOIN users u ON u.mac_address = g.mac_address;
