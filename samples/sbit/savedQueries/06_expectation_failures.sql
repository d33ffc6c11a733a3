-- Data quality per run: expectations that failed at least one row, and what they did with it
SELECT evaluated_at, dataset, expectation, action, passed, failed
FROM system.quality_results
WHERE failed > 0
ORDER BY evaluated_at, dataset, expectation;
