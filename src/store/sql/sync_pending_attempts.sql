SELECT uid, exam, started_ms, finished_ms, percent, scaled, passed, state_json, report_json,
       forecast_json
FROM attempt
WHERE origin IS NULL AND finished_ms IS NOT NULL AND uid IS NOT NULL
ORDER BY id LIMIT ?1
