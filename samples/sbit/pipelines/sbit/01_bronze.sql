-- Bronze: the three landing feeds as they arrive, one streaming table each. Paths come from ${source}
-- (pipeline.json: "landing" locally, a Volume path on Databricks). Rows that do not parse against the declared schema
-- keep their raw text in _rescued_data; for the CSV feeds those rows go to <table>_quarantine.

CREATE OR REFRESH STREAMING TABLE bronze.registered_users (
  CONSTRAINT parsed_row EXPECT (_rescued_data IS NULL) ON VIOLATION DROP ROW,
  CONSTRAINT has_user_id EXPECT (user_id IS NOT NULL) ON VIOLATION DROP ROW
)
COMMENT 'User registrations from the registration service CSV drops'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/registered_users',
  format => 'csv',
  header => true,
  schema => 'user_id BIGINT, device_id BIGINT, mac_address STRING, registration_timestamp TIMESTAMP',
  rescuedDataColumn => '_rescued_data'
);

CREATE OR REFRESH STREAMING TABLE bronze.gym_logins (
  CONSTRAINT parsed_row EXPECT (_rescued_data IS NULL) ON VIOLATION DROP ROW,
  -- Warn only: a visit over four hours is kept (someone forgot to badge out) but counted.
  CONSTRAINT visit_under_4_hours EXPECT (coalesce(unix_timestamp(logout) - unix_timestamp(login), 0) <= 4 * 3600)
)
COMMENT 'Gym door badge events: one row per visit with login and logout times'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/gym_logins',
  format => 'csv',
  header => true,
  schema => 'mac_address STRING, gym BIGINT, login TIMESTAMP, logout TIMESTAMP',
  rescuedDataColumn => '_rescued_data'
);

CREATE OR REFRESH STREAMING TABLE bronze.kafka_multiplex (
  -- The producer only publishes these topics; anything else means a misrouted feed, so stop the update.
  CONSTRAINT known_topic EXPECT (topic IN ('user_info', 'bpm', 'workout')) ON VIOLATION FAIL UPDATE
)
PARTITIONED BY (topic)
COMMENT 'Kafka topics user_info, bpm and workout multiplexed into one feed; value is the JSON payload'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT
  `key`, `value`, topic, `partition`, `offset`, `timestamp`,
  to_date(from_unixtime(CAST(`timestamp` / 1000 AS BIGINT))) AS event_date,
  _rescued_data
FROM STREAM read_files(
  '${source}/kafka_multiplex',
  format => 'json',
  schema => '`key` STRING, `value` STRING, topic STRING, `partition` INT, `offset` BIGINT, `timestamp` BIGINT',
  rescuedDataColumn => '_rescued_data'
);
