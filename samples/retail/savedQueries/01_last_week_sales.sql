-- Sales of the second week; the date filter reads only those partitions of gold.daily_sales
SELECT sale_date, weekday, orders, units, revenue, returns
FROM gold.daily_sales
WHERE sale_date >= DATE '2024-03-08'
ORDER BY sale_date;
