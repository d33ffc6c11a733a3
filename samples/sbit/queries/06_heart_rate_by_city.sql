-- Average heart rate per city on one day; the date filter prunes silver.heart_rate to a single partition
SELECT p.city, round(avg(h.heartrate), 1) AS avg_bpm, count(*) AS readings
FROM silver.heart_rate h
JOIN silver.users u ON u.device_id = h.device_id
JOIN silver.user_profile p ON p.user_id = u.user_id
WHERE h.`date` = DATE '2024-03-08' AND h.valid
GROUP BY p.city
ORDER BY avg_bpm DESC;
