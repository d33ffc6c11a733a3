-- SCD type 2 customer history: customers that changed, with the version each change opened and closed
SELECT customer_id, city, state, email, __START_AT, __END_AT
FROM silver.customers
WHERE customer_id IN (SELECT customer_id FROM silver.customers GROUP BY customer_id HAVING count(*) > 1)
ORDER BY customer_id, __START_AT;
