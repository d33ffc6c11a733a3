-- Bronze: heart-rate readings as a live producer drops them, one NDJSON file at a time, into ${source}/live_bpm
-- (pipeline.json: "landing" locally, a Volume path on Databricks). A record that does not parse against the declared
-- schema (a line cut short, a value of the wrong type) keeps its raw text in _rescued_data and goes to
-- bronze.live_bpm_quarantine with the expectation it failed.

CREATE OR REFRESH STREAMING TABLE bronze.live_bpm (
  CONSTRAINT parsed_record EXPECT (_rescued_data IS NULL) ON VIOLATION DROP ROW,
  CONSTRAINT has_device EXPECT (device_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT has_time EXPECT (time IS NOT NULL) ON VIOLATION DROP ROW
)
COMMENT 'Live heart-rate readings {device_id, time, heartrate} from the bpm producer'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/live_bpm',
  format => 'json',
  schema => 'device_id BIGINT, time TIMESTAMP, heartrate DOUBLE',
  rescuedDataColumn => '_rescued_data'
);
