-- GDPR erasure of user 3: the DELETE in the table history, and the rows before (version 10) and after it
DESCRIBE HISTORY bronze.registered_users LIMIT 4;
SELECT 'before erasure (v10)' AS state, count(*) AS rows_for_user_3 FROM bronze.registered_users VERSION AS OF 10 WHERE user_id = 3
UNION ALL
SELECT 'now', count(*) FROM bronze.registered_users WHERE user_id = 3;
