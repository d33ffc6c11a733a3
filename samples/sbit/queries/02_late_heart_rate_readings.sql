-- Late readings: rows REPLACE WHERE added to silver.heart_rate after version 3 for days version 3 already covered
SELECT cur.`date`, count(*) AS late_readings
FROM silver.heart_rate cur
LEFT JOIN silver.heart_rate VERSION AS OF 3 AS old ON old.device_id = cur.device_id AND old.time = cur.time
WHERE old.device_id IS NULL AND cur.`date` <= DATE '2024-03-06'
GROUP BY cur.`date`
ORDER BY cur.`date`;
