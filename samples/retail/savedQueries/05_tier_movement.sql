-- Customers whose value tier changed between the first week's run (version 0) and now
SELECT cur.customer_id, cur.full_name, prev.value_tier AS tier_after_week_1, cur.value_tier AS tier_now, cur.total_spent
FROM gold.customer_360 cur
JOIN gold.customer_360 VERSION AS OF 0 AS prev ON prev.customer_id = cur.customer_id
WHERE prev.value_tier <> cur.value_tier
ORDER BY cur.total_spent DESC;
