-- Gold: a 360 view per customer with a value tier, sales per day, product performance and the tier summary.

CREATE TEMPORARY VIEW completed_sales
COMMENT 'Completed (not returned) transactions with their product category'
AS SELECT t.*, p.category
FROM silver.transactions t
LEFT JOIN silver.products p ON p.product_id = t.product_id
WHERE t.status = 'completed';

CREATE OR REFRESH MATERIALIZED VIEW gold.customer_360 (
  CONSTRAINT non_negative_spend EXPECT (total_spent >= 0) ON VIOLATION FAIL UPDATE
)
COMMENT 'Current customer profile with purchase totals, favourite category and value tier'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  c.customer_id,
  concat_ws(' ', c.first_name, c.last_name) AS full_name,
  c.email,
  c.city,
  c.state,
  c.signup_date,
  coalesce(s.orders, 0) AS orders,
  coalesce(s.total_spent, CAST(0 AS DECIMAL(22,2))) AS total_spent,
  s.first_purchase,
  s.last_purchase,
  f.category AS favourite_category,
  CASE
    WHEN coalesce(s.total_spent, 0) >= 2000 THEN 'platinum'
    WHEN coalesce(s.total_spent, 0) >= 1000 THEN 'gold'
    WHEN coalesce(s.total_spent, 0) >= 500 THEN 'silver'
    WHEN coalesce(s.total_spent, 0) > 0 THEN 'bronze'
    ELSE 'prospect'
  END AS value_tier
FROM silver.customers c
LEFT JOIN (
  SELECT customer_id, count(*) AS orders, sum(amount) AS total_spent,
         min(transaction_ts) AS first_purchase, max(transaction_ts) AS last_purchase
  FROM completed_sales
  GROUP BY customer_id
) s ON s.customer_id = c.customer_id
LEFT JOIN (
  SELECT customer_id, category,
         row_number() OVER (PARTITION BY customer_id ORDER BY sum(quantity) DESC, category) AS rank_in_customer
  FROM completed_sales
  GROUP BY customer_id, category
) f ON f.customer_id = c.customer_id AND f.rank_in_customer = 1
WHERE c.__END_AT IS NULL;

CREATE OR REFRESH MATERIALIZED VIEW gold.value_tiers
COMMENT 'Customers and revenue per value tier'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  value_tier,
  count(*) AS customers,
  sum(total_spent) AS revenue,
  round(avg(total_spent), 2) AS avg_spent
FROM gold.customer_360
GROUP BY value_tier;

CREATE OR REFRESH MATERIALIZED VIEW gold.daily_sales
PARTITIONED BY (sale_date)
COMMENT 'Orders, units, revenue and returns per day'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  transaction_date AS sale_date,
  date_format(transaction_date, 'EEEE') AS weekday,
  sum(if(status = 'completed', 1, 0)) AS orders,
  sum(if(status = 'completed', quantity, 0)) AS units,
  sum(if(status = 'completed', amount, 0)) AS revenue,
  sum(if(status = 'returned', amount, 0)) AS returns,
  count(DISTINCT customer_id) AS customers
FROM silver.transactions
GROUP BY transaction_date;

CREATE OR REFRESH MATERIALIZED VIEW gold.product_performance
COMMENT 'Units, revenue and rank within category per product (unsold products included)'
TBLPROPERTIES ('quality' = 'gold')
AS SELECT
  p.product_id,
  p.product_name,
  p.category,
  p.unit_price,
  coalesce(s.orders, 0) AS orders,
  coalesce(s.units, 0) AS units_sold,
  coalesce(s.revenue, CAST(0 AS DECIMAL(22,2))) AS revenue,
  rank() OVER (PARTITION BY p.category ORDER BY coalesce(s.revenue, 0) DESC) AS category_rank
FROM silver.products p
LEFT JOIN (
  SELECT product_id, count(*) AS orders, sum(quantity) AS units, sum(amount) AS revenue
  FROM completed_sales
  GROUP BY product_id
) s ON s.product_id = p.product_id;
