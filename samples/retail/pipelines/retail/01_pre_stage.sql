-- Pre-stage (bronze): every row the source systems drop, as landed. Nothing is filtered here; rows that do not parse
-- keep their raw text in _rescued_data and are only counted. pipeline.json advances a watermark per source table
-- after each successful commit and reconciles pre-stage with stage.

CREATE OR REFRESH STREAMING TABLE bronze.customers (
  CONSTRAINT parsed_row EXPECT (_rescued_data IS NULL)
)
COMMENT 'Customer master records from the CRM export (new customers and changes)'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/customers',
  format => 'csv',
  header => true,
  schema => 'customer_id STRING, first_name STRING, last_name STRING, email STRING, city STRING, state STRING, signup_date DATE, updated_at TIMESTAMP',
  rescuedDataColumn => '_rescued_data'
);

CREATE OR REFRESH STREAMING TABLE bronze.products (
  CONSTRAINT parsed_row EXPECT (_rescued_data IS NULL)
)
COMMENT 'Product catalog rows (new products and price changes)'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/products',
  format => 'csv',
  header => true,
  schema => 'product_id STRING, product_name STRING, category STRING, unit_price DECIMAL(10,2), updated_at TIMESTAMP',
  rescuedDataColumn => '_rescued_data'
);

CREATE OR REFRESH STREAMING TABLE bronze.transactions (
  CONSTRAINT parsed_row EXPECT (_rescued_data IS NULL)
)
COMMENT 'Point-of-sale and online transactions, one JSON object per line'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *
FROM STREAM read_files(
  '${source}/transactions',
  format => 'json',
  schema => 'transaction_id STRING, customer_id STRING, product_id STRING, quantity INT, unit_price DECIMAL(10,2), amount DECIMAL(12,2), transaction_ts TIMESTAMP, channel STRING, store_id INT, status STRING',
  rescuedDataColumn => '_rescued_data'
);
