-- Pre-stage against stage per source: rows landed, rows accepted, and the share rejected
SELECT 'transactions' AS source, (SELECT count(*) FROM bronze.transactions) AS pre_stage_rows, (SELECT count(*) FROM silver.stg_transactions) AS stage_rows
UNION ALL
SELECT 'customers', (SELECT count(*) FROM bronze.customers), (SELECT count(*) FROM silver.stg_customers)
UNION ALL
SELECT 'products', (SELECT count(*) FROM bronze.products), (SELECT count(*) FROM silver.stg_products);
