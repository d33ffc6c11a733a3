-- Every quarantined row by table and broken rule: exactly the malformed rows the data sets contained
SELECT 'bronze.registered_users' AS source, concat_ws(', ', _expectations) AS broken_rules, count(*) AS quarantined_rows
FROM bronze.registered_users_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'bronze.gym_logins', concat_ws(', ', _expectations), count(*) FROM bronze.gym_logins_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'silver.user_info', concat_ws(', ', _expectations), count(*) FROM silver.user_info_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'silver.workouts', concat_ws(', ', _expectations), count(*) FROM silver.workouts_quarantine GROUP BY 1, 2
UNION ALL
SELECT 'silver.heart_rate', concat_ws(', ', _expectations), count(*) FROM silver.heart_rate_quarantine GROUP BY 1, 2
ORDER BY source, broken_rules;
