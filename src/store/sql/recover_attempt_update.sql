UPDATE attempt SET updated_ms = ?2, finished_ms = ?3, percent = ?4, scaled = ?5, passed = ?6,
                   state_json = ?7, report_json = ?8, forecast_json = ?9
WHERE id = ?1
