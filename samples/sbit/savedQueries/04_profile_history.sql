-- SCD type 2 profile history: users with more than one version, including a change that arrived out of order
SELECT user_id, street_address, city, state, __START_AT, __END_AT
FROM silver.user_profile
WHERE user_id IN (SELECT user_id FROM silver.user_profile GROUP BY user_id HAVING count(*) > 1)
ORDER BY user_id, __START_AT;
