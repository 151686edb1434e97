SELECT id, state_json, forecast_json FROM attempt
WHERE finished_ms IS NULL
ORDER BY updated_ms DESC
LIMIT 1
