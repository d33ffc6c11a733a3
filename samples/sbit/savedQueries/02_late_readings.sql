-- Late data: readings the second run added for days the first run had already covered
SELECT cur.reading_date, count(*) AS late_readings
FROM silver.heart_rate cur
LEFT JOIN silver.heart_rate VERSION AS OF 1 AS old ON old.kafka_offset = cur.kafka_offset
WHERE old.kafka_offset IS NULL AND cur.reading_date <= DATE '2024-03-06'
GROUP BY cur.reading_date
ORDER BY cur.reading_date;
