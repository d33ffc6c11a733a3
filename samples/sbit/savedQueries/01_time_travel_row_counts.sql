-- How silver.heart_rate grew run by run: row counts at each version (version 0 is the empty table the first run created)
SELECT 'v1: after data set 1' AS version, count(*) AS readings FROM silver.heart_rate VERSION AS OF 1
UNION ALL
SELECT 'now: after data set 2', count(*) FROM silver.heart_rate;
