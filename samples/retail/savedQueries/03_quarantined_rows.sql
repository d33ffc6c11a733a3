-- Stage quarantines: the rows each quality rule rejected
SELECT 'stg_customers' AS stage_table, concat_ws(', ', _expectations) AS broken_rules, count(*) AS quarantined_rows
FROM silver.stg_customers_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'stg_products', concat_ws(', ', _expectations), count(*) FROM silver.stg_products_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'stg_transactions', concat_ws(', ', _expectations), count(*) FROM silver.stg_transactions_quarantine GROUP BY 1, 2
ORDER BY stage_table, broken_rules;
