-- Silver: event-time processing of the live feeds. Both tables are watermarked streams: a row whose event time is at
-- or behind the watermark (the newest event time seen in earlier batches minus 10 minutes) is late and goes to
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
