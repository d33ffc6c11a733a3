-- Bronze keeps everything that landed: duplicated Kafka deliveries, invalid readings, rows without ids
SELECT 'duplicate kafka records' AS issue, count(*) AS n
FROM (SELECT topic, `offset` FROM bronze.kafka_multiplex GROUP BY ALL HAVING count(*) > 1)
UNION ALL
SELECT 'bpm readings with heart rate <= 0', count(*) FROM bronze.kafka_multiplex
WHERE topic = 'bpm' AND CAST(`value`->>'heartrate' AS DOUBLE) <= 0
UNION ALL
SELECT 'bpm readings without a device', count(*) FROM bronze.kafka_multiplex
WHERE topic = 'bpm' AND (`value`->>'device_id') IS NULL
UNION ALL
SELECT 'registrations without a user id', count(*) FROM bronze.registered_users WHERE user_id IS NULL;
