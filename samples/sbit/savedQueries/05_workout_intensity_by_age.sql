-- Heart rate during workouts per age bin (gold summary joined with silver age bins)
SELECT coalesce(age_bin, 'no profile') AS age_bin, count(*) AS workouts, round(avg(avg_bpm), 1) AS avg_bpm, max(max_bpm) AS peak_bpm
FROM gold.workout_bpm_summary
GROUP BY 1
ORDER BY 1;
