-- How bronze.kafka_multiplex grew: row counts at a few versions (VERSION AS OF and the @v shorthand)
SELECT 'v1' AS version, count(*) AS records FROM bronze.kafka_multiplex VERSION AS OF 1
UNION ALL SELECT 'v5', count(*) FROM bronze.kafka_multiplex@v5
UNION ALL SELECT 'latest', count(*) FROM bronze.kafka_multiplex;
