-- Customers and revenue per value tier
SELECT value_tier, customers, revenue, avg_spent
FROM gold.value_tiers
ORDER BY revenue DESC;
