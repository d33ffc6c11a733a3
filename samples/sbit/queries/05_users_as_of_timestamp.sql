-- silver.users as it was late on 2024-03-06 (TIMESTAMP AS OF) compared with now
SELECT 'as of 2024-03-06 23:30' AS at, count(*) AS users FROM silver.users TIMESTAMP AS OF '2024-03-06 23:30:00'
UNION ALL
SELECT 'now', count(*) FROM silver.users;
