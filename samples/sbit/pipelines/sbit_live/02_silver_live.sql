-- Silver: event-time processing of the live feeds and of the sbit pipeline's streams. The windowed table and the two
-- stream-stream joins read watermarked streams: a row whose event time is at or behind the watermark (the newest event
-- time seen in earlier batches minus 10 minutes; for a join, the smaller of its two inputs') is late and goes to
-- <table>_late with how late it was, instead of into a window or a pair that was already emitted or evicted.

CREATE OR REFRESH STREAMING TABLE silver.live_bpm_10min
COMMENT 'Readings per device and 10-minute window, appended once the watermark has passed the end of the window'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  window(time, '10 minutes') AS window,
  device_id,
  count(*) AS readings,
  avg(heartrate) AS avg_heartrate,
  min(heartrate) AS min_heartrate,
  max(heartrate) AS max_heartrate
FROM STREAM(bronze.live_bpm) WATERMARK time DELAY OF INTERVAL 10 MINUTES
GROUP BY window(time, '10 minutes'), device_id;

-- Workout starts paired with their stop within 3 hours, streamed from the sbit pipeline's silver.workouts table
-- (a stream-stream join: each pair is appended once both events have arrived; state is evicted by the watermark).
CREATE OR REFRESH STREAMING TABLE silver.workout_sessions
COMMENT 'Workout sessions: a start and its stop at most 3 hours later, from the sbit pipeline''s silver.workouts'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT s.user_id, s.workout_id, s.session_id, s.time AS start_time, e.time AS end_time
FROM STREAM(silver.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS s
JOIN STREAM(silver.workouts) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS e
  ON e.user_id = s.user_id AND e.workout_id = s.workout_id AND e.session_id = s.session_id
  AND e.time BETWEEN s.time AND s.time + INTERVAL 3 HOURS
WHERE s.action = 'start' AND e.action = 'stop';

-- Each session with the device of its user: a stream-static join (every session row looks up the current
-- silver.users, no state kept), so the next join can match readings by device.
CREATE OR REFRESH STREAMING TABLE silver.workout_session_devices
COMMENT 'Workout sessions with the device of their user, from the sbit pipeline''s silver.users'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT w.user_id, w.workout_id, w.session_id, u.device_id, w.start_time, w.end_time
FROM STREAM(silver.workout_sessions) AS w
JOIN silver.users AS u ON u.user_id = w.user_id;

-- Heart-rate readings inside a completed workout: a stream-stream join of the sessions with the sbit pipeline's
-- silver.heart_rate on the device. The time bound (a reading at most 3 hours after the start, the longest session)
-- is what lets the join evict state as the watermarks pass; the end of the session is checked on the joined rows.
-- A session or reading behind the join's watermark goes to silver.workout_bpm_live_late instead.
CREATE OR REFRESH STREAMING TABLE silver.workout_bpm_live
COMMENT 'Heart-rate readings taken during a completed workout session, by the device of the session''s user'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT w.user_id, w.workout_id, w.session_id, w.device_id, w.start_time, w.end_time, h.time, h.heartrate
FROM STREAM(silver.workout_session_devices) WATERMARK start_time DELAY OF INTERVAL 10 MINUTES AS w
JOIN STREAM(silver.heart_rate) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS h
  ON h.device_id = w.device_id
  AND h.time BETWEEN w.start_time AND w.start_time + INTERVAL 3 HOURS
  AND h.time <= w.end_time;
