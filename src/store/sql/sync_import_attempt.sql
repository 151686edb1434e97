INSERT INTO attempt (uid, origin, exam, started_ms, updated_ms, finished_ms, percent, scaled,
                     passed, state_json, report_json, forecast_json)
VALUES (:uid, :origin, :exam, :started, :finished, :finished, :percent, :scaled, :passed,
        :state, :report, :forecast)
ON CONFLICT (uid) DO NOTHING
