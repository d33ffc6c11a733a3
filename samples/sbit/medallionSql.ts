// The SBIT medallion as Spark SQL: table DDL and the statements one simulated day runs (bronze ingest -> silver -> gold).
import type { LandedFiles } from './landingFiles'

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** CREATE TABLE statements for every SBIT table (bronze, silver, gold). */
export const SBIT_DDL = `
CREATE TABLE bronze.registered_users (
  user_id BIGINT, device_id BIGINT, mac_address STRING, registration_timestamp TIMESTAMP,
  load_time TIMESTAMP, source_file STRING
) USING DELTA COMMENT 'Raw user registrations from the registration CSV drops';

CREATE TABLE bronze.gym_logins (
  mac_address STRING, gym BIGINT, login TIMESTAMP, logout TIMESTAMP, load_time TIMESTAMP, source_file STRING
) USING DELTA COMMENT 'Raw gym door logins/logouts';

CREATE TABLE bronze.kafka_multiplex (
  \`key\` STRING, \`value\` STRING, topic STRING, \`partition\` INT, \`offset\` BIGINT, \`timestamp\` BIGINT,
  \`date\` DATE, week_part STRING, load_time TIMESTAMP, source_file STRING
) USING DELTA PARTITIONED BY (topic, week_part)
COMMENT 'Kafka topics user_info, workout and bpm, multiplexed; value is the JSON payload';

CREATE TABLE silver.users (
  user_id BIGINT NOT NULL, device_id BIGINT, mac_address STRING, registration_timestamp TIMESTAMP
) USING DELTA COMMENT 'One row per registered user';

CREATE TABLE silver.user_profile (
  user_id BIGINT NOT NULL, dob DATE, sex STRING, gender STRING, first_name STRING, last_name STRING,
  street_address STRING, city STRING, state STRING, zip INT, updated TIMESTAMP
) USING DELTA COMMENT 'Latest profile per user from the user_info CDC feed';

CREATE TABLE silver.heart_rate (
  device_id BIGINT, time TIMESTAMP, heartrate DOUBLE, valid BOOLEAN, \`date\` DATE
) USING DELTA PARTITIONED BY (\`date\`) COMMENT 'Deduplicated heart-rate readings; invalid readings flagged';

CREATE TABLE silver.workouts (
  user_id BIGINT, workout_id INT, time TIMESTAMP, action STRING, session_id INT
) USING DELTA COMMENT 'Workout start/stop events';

CREATE TABLE silver.completed_workouts (
  user_id BIGINT, workout_id INT, session_id INT, start_time TIMESTAMP, end_time TIMESTAMP
) USING DELTA COMMENT 'Workouts with a start and a stop within 3 hours';

CREATE TABLE silver.gym_logs (
  mac_address STRING, gym BIGINT, login TIMESTAMP, logout TIMESTAMP
) USING DELTA COMMENT 'Gym visits';

CREATE TABLE gold.workout_bpm_summary (
  user_id BIGINT, workout_id INT, session_id INT, age INT, gender STRING, city STRING, state STRING,
  min_bpm DOUBLE, avg_bpm DOUBLE, max_bpm DOUBLE, num_recordings BIGINT
) USING DELTA COMMENT 'Heart-rate summary per completed workout';

CREATE TABLE gold.gym_summary (
  gym BIGINT, \`date\` DATE, num_visitors BIGINT, total_minutes BIGINT
) USING DELTA COMMENT 'Visitors and minutes per gym per day';
`

/** Bronze: append the day's landing files, stamping load time and the source file. */
export function bronzeIngestSql(root: string, files: LandedFiles, loadTime: string): string {
  const abs = (rel: string): string => quote(`${root}/${rel}`)
  return `
INSERT INTO bronze.registered_users
SELECT user_id, device_id, mac_address, registration_timestamp, TIMESTAMPTZ ${quote(loadTime)}, ${quote(files.registrations)}
FROM read_csv(${abs(files.registrations)}, header = true,
  columns = {'user_id': 'BIGINT', 'device_id': 'BIGINT', 'mac_address': 'VARCHAR', 'registration_timestamp': 'TIMESTAMPTZ'});

INSERT INTO bronze.gym_logins
SELECT mac_address, gym, login, logout, TIMESTAMPTZ ${quote(loadTime)}, ${quote(files.gymLogins)}
FROM read_csv(${abs(files.gymLogins)}, header = true,
  columns = {'mac_address': 'VARCHAR', 'gym': 'BIGINT', 'login': 'TIMESTAMPTZ', 'logout': 'TIMESTAMPTZ'});

INSERT INTO bronze.kafka_multiplex
SELECT "key", "value", topic, "partition", "offset", "timestamp",
  CAST(to_timestamp("timestamp" / 1000) AS DATE), strftime(to_timestamp("timestamp" / 1000), '%G-W%V'),
  TIMESTAMPTZ ${quote(loadTime)}, ${quote(files.kafka)}
FROM read_json(${abs(files.kafka)}, format = 'newline_delimited',
  columns = {'key': 'VARCHAR', 'value': 'VARCHAR', 'topic': 'VARCHAR', 'partition': 'INTEGER', 'offset': 'BIGINT', 'timestamp': 'BIGINT'});
`
}

/**
 * Silver and gold for one day: full rebuilds (INSERT OVERWRITE) of small dimension tables, an append of the day's
 * workout events, and a REPLACE WHERE of the last two days of heart rate so late readings land in their day.
 */
export function refineSql(date: string, previousDate: string, kafkaFile: string): string {
  return `
INSERT OVERWRITE silver.users
SELECT user_id, device_id, mac_address, registration_timestamp FROM (
  SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY registration_timestamp, load_time) AS rn
  FROM bronze.registered_users WHERE user_id IS NOT NULL AND mac_address <> ''
) WHERE rn = 1;

INSERT OVERWRITE silver.user_profile
SELECT user_id, dob, sex, gender, first_name, last_name, street_address, city, state, zip, updated FROM (
  SELECT CAST(\`value\`->>'user_id' AS BIGINT) AS user_id, CAST(strptime(\`value\`->>'dob', '%m/%d/%Y') AS DATE) AS dob,
    \`value\`->>'sex' AS sex, \`value\`->>'gender' AS gender, \`value\`->>'first_name' AS first_name, \`value\`->>'last_name' AS last_name,
    \`value\`->'address'->>'street_address' AS street_address, \`value\`->'address'->>'city' AS city,
    \`value\`->'address'->>'state' AS state, CAST(\`value\`->'address'->>'zip' AS INT) AS zip,
    CAST(\`value\`->>'timestamp' AS TIMESTAMPTZ) AS updated, \`value\`->>'update_type' AS update_type,
    row_number() OVER (PARTITION BY CAST(\`value\`->>'user_id' AS BIGINT) ORDER BY CAST(\`value\`->>'timestamp' AS TIMESTAMPTZ) DESC) AS rn
  FROM bronze.kafka_multiplex WHERE topic = 'user_info'
) WHERE rn = 1 AND update_type <> 'delete';

INSERT INTO silver.heart_rate REPLACE WHERE \`date\` >= DATE '${previousDate}'
SELECT DISTINCT device_id, time, heartrate, heartrate > 0 AS valid, CAST(time AS DATE) FROM (
  SELECT CAST(\`value\`->>'device_id' AS BIGINT) AS device_id, CAST(\`value\`->>'time' AS TIMESTAMPTZ) AS time,
    CAST(\`value\`->>'heartrate' AS DOUBLE) AS heartrate
  FROM bronze.kafka_multiplex WHERE topic = 'bpm'
) WHERE device_id IS NOT NULL AND CAST(time AS DATE) >= DATE '${previousDate}';

INSERT INTO silver.workouts
SELECT DISTINCT CAST(\`value\`->>'user_id' AS BIGINT), CAST(\`value\`->>'workout_id' AS INT), CAST(\`value\`->>'timestamp' AS TIMESTAMPTZ),
  \`value\`->>'action', CAST(\`value\`->>'session_id' AS INT)
FROM bronze.kafka_multiplex WHERE topic = 'workout' AND source_file = '${kafkaFile}';

INSERT OVERWRITE silver.completed_workouts
SELECT a.user_id, a.workout_id, a.session_id, a.time, b.time
FROM silver.workouts a JOIN silver.workouts b
  ON a.user_id = b.user_id AND a.workout_id = b.workout_id AND a.session_id = b.session_id
WHERE a.action = 'start' AND b.action = 'stop' AND b.time > a.time AND b.time < a.time + INTERVAL 3 HOUR;

INSERT INTO silver.gym_logs
SELECT mac_address, gym, login, logout FROM bronze.gym_logins WHERE CAST(load_time AS DATE) = DATE '${date}';

INSERT OVERWRITE gold.workout_bpm_summary
SELECT w.user_id, w.workout_id, w.session_id, CAST(date_diff('year', p.dob, CAST(w.start_time AS DATE)) AS INT), p.gender, p.city, p.state,
  min(h.heartrate), round(avg(h.heartrate), 1), max(h.heartrate), count(*)
FROM silver.completed_workouts w
JOIN silver.users u ON u.user_id = w.user_id
JOIN silver.heart_rate h ON h.device_id = u.device_id AND h.time BETWEEN w.start_time AND w.end_time AND h.valid
LEFT JOIN silver.user_profile p ON p.user_id = w.user_id
GROUP BY ALL;

INSERT OVERWRITE gold.gym_summary
SELECT gym, CAST(login AS DATE), count(DISTINCT mac_address), sum(date_diff('minute', login, logout))
FROM silver.gym_logs GROUP BY ALL;
`
}

/** GDPR erasure of one user across the layers that hold personal data. */
export function erasureSql(userId: number): string {
  return `
DELETE FROM bronze.registered_users WHERE user_id = ${userId};
DELETE FROM bronze.kafka_multiplex WHERE topic = 'user_info' AND \`key\` = '${userId}';
DELETE FROM silver.users WHERE user_id = ${userId};
DELETE FROM silver.user_profile WHERE user_id = ${userId};
`
}
