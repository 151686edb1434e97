SELECT id, finished_ms, percent, scaled, passed, report_json, forecast_json FROM attempt
WHERE exam = ?1 AND finished_ms IS NOT NULL
ORDER BY finished_ms
