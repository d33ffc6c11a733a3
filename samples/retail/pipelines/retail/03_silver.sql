-- Silver: customer history (SCD type 2 via AUTO CDC), the current product catalog and deduplicated transactions.

CREATE OR REFRESH STREAMING TABLE customers
COMMENT 'Customer history: one version per change, __START_AT/__END_AT bound each version';

CREATE FLOW customers_cdc AS AUTO CDC INTO customers
FROM STREAM(stg_customers)
KEYS (customer_id)
SEQUENCE BY updated_at
STORED AS SCD TYPE 2;

-- LIVE-era spelling (CREATE LIVE TABLE = materialized view, LIVE. references) in a current pipeline works as is.
CREATE LIVE TABLE products
COMMENT 'Current catalog: the latest row per product (stale rows that arrive late lose on updated_at)'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT product_id, product_name, category, unit_price, updated_at
FROM (
  SELECT *, row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC) AS rn
  FROM LIVE.stg_products
)
WHERE rn = 1;

CREATE OR REFRESH MATERIALIZED VIEW transactions
PARTITIONED BY (transaction_date)
COMMENT 'One row per transaction id: redelivered copies removed'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT transaction_id, customer_id, product_id, quantity, unit_price, amount, transaction_ts, transaction_date, channel, store_id, status
FROM (
  SELECT *, row_number() OVER (PARTITION BY transaction_id ORDER BY transaction_ts, row_hash) AS rn
  FROM stg_transactions
)
WHERE rn = 1;
