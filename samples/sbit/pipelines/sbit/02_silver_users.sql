-- Silver, users and profiles, written in the LIVE-era spellings (CREATE LIVE TABLE, CREATE STREAMING LIVE TABLE,
-- LIVE. references, APPLY CHANGES INTO): Databricks still accepts them and so does Lakebench.

CREATE LIVE TABLE users
COMMENT 'One row per registered user (the earliest registration wins over redelivered copies)'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT user_id, device_id, mac_address, registration_timestamp
FROM (
  SELECT user_id, device_id, mac_address, registration_timestamp,
         row_number() OVER (PARTITION BY user_id ORDER BY registration_timestamp) AS rn
  FROM bronze.registered_users
)
WHERE rn = 1;

CREATE STREAMING LIVE TABLE user_info (
  CONSTRAINT valid_user_id EXPECT (user_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_update_type EXPECT (update_type IS NOT NULL AND update_type IN ('new', 'update', 'delete')) ON VIOLATION DROP ROW
)
COMMENT 'Profile change events (new, update, delete) parsed from the user_info topic'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  payload.user_id,
  payload.update_type,
  to_timestamp(payload.`timestamp`) AS updated,
  to_date(payload.dob, 'MM/dd/yyyy') AS dob,
  payload.sex,
  initcap(payload.first_name) AS first_name,
  initcap(payload.last_name) AS last_name,
  payload.address.street_address AS street_address,
  payload.address.city AS city,
  payload.address.state AS state,
  payload.address.zip AS zip
FROM (
  SELECT from_json(
    `value`,
    'user_id BIGINT, update_type STRING, `timestamp` STRING, dob STRING, sex STRING, first_name STRING, last_name STRING, address STRUCT<street_address: STRING, city: STRING, state: STRING, zip: INT>'
  ) AS payload
  FROM STREAM(bronze.kafka_multiplex)
  WHERE topic = 'user_info'
);

CREATE STREAMING LIVE TABLE user_profile
COMMENT 'Profile history per user (SCD type 2): a new version per change, deletes close the current version';

APPLY CHANGES INTO LIVE.user_profile
FROM STREAM(LIVE.user_info)
KEYS (user_id)
APPLY AS DELETE WHEN update_type = 'delete'
SEQUENCE BY updated
COLUMNS * EXCEPT (update_type)
STORED AS SCD TYPE 2;

CREATE LIVE TABLE user_bins
COMMENT 'Registered users with a current profile, binned by age at registration'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  user_id,
  CASE
    WHEN age < 18 THEN 'under 18'
    WHEN age < 25 THEN '18-24'
    WHEN age < 35 THEN '25-34'
    WHEN age < 45 THEN '35-44'
    WHEN age < 55 THEN '45-54'
    WHEN age < 65 THEN '55-64'
    ELSE '65+'
  END AS age_bin,
  gender,
  city,
  state
FROM (
  SELECT
    u.user_id,
    p.sex AS gender,
    p.city,
    p.state,
    CAST(floor(months_between(u.registration_timestamp, p.dob) / 12) AS INT) AS age
  FROM LIVE.users u
  JOIN LIVE.user_profile p ON p.user_id = u.user_id
  WHERE p.__END_AT IS NULL
);
