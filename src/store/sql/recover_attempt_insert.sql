-- A salvaged attempt the backup lacks, with its global id and origin (NULL before version 4).
INSERT INTO attempt (exam, started_ms, updated_ms, finished_ms, percent, scaled, passed,
                     state_json, report_json, forecast_json, uid, origin)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
