-- Stage: pre-stage rows that pass the quality rules, with processing metadata. Rows breaking a DROP ROW rule go to
-- <table>_quarantine with the rule names; warn-only rules just count.

CREATE OR REFRESH STREAMING TABLE stg_customers (
  CONSTRAINT valid_customer_id EXPECT (customer_id IS NOT NULL AND customer_id <> '') ON VIOLATION DROP ROW,
  CONSTRAINT valid_updated_at EXPECT (updated_at IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_email EXPECT (email LIKE '%@%')
)
COMMENT 'Validated customer changes, the input of the customer history'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  customer_id,
  initcap(first_name) AS first_name,
  initcap(last_name) AS last_name,
  lower(email) AS email,
  city,
  state,
  signup_date,
  updated_at
FROM STREAM(bronze.customers);

CREATE OR REFRESH STREAMING TABLE stg_products (
  CONSTRAINT valid_product_id EXPECT (product_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_price EXPECT (unit_price IS NOT NULL AND unit_price > 0) ON VIOLATION DROP ROW
)
COMMENT 'Validated product rows'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT product_id, product_name, category, unit_price, updated_at
FROM STREAM(bronze.products);

CREATE OR REFRESH STREAMING TABLE stg_transactions (
  CONSTRAINT valid_transaction_id EXPECT (transaction_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_customer EXPECT (customer_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT valid_quantity EXPECT (quantity IS NOT NULL AND quantity > 0) ON VIOLATION DROP ROW,
  CONSTRAINT valid_amount EXPECT (amount IS NOT NULL AND amount >= 0) ON VIOLATION DROP ROW,
  -- Warn only: large baskets are legitimate but worth a look.
  CONSTRAINT large_order EXPECT (coalesce(amount, 0) < 400),
  -- The POS only emits these two statuses; anything else means the feed changed, so stop rather than guess.
  CONSTRAINT known_status EXPECT (status IS NOT NULL AND status IN ('completed', 'returned')) ON VIOLATION FAIL UPDATE
)
PARTITIONED BY (transaction_date)
COMMENT 'Validated transactions, partitioned by day'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  transaction_id,
  customer_id,
  product_id,
  quantity,
  unit_price,
  amount,
  transaction_ts,
  to_date(transaction_ts) AS transaction_date,
  channel,
  store_id,
  status,
  sha2(concat_ws('|', transaction_id, customer_id, product_id, CAST(amount AS STRING)), 256) AS row_hash
FROM STREAM(bronze.transactions);
