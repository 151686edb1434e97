-- Mock-exam attempts. The attempt (paper, answers, flags, clock) and its report are JSON
-- blobs of the exam module's serde types; the columns beside them are what lists and charts
-- query. Every answer of a finished attempt is also in the review log (kind = mock exam).
CREATE TABLE attempt (
    id            INTEGER PRIMARY KEY,
    exam          TEXT NOT NULL,
    started_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    finished_ms   INTEGER,                 -- NULL while the attempt is open
    percent       REAL,                    -- raw score in percent, once finished
    scaled        INTEGER,
    passed        INTEGER,
    state_json    TEXT NOT NULL,           -- exam::Attempt
    report_json   TEXT,                    -- exam::Report
    forecast_json TEXT                     -- exam::Forecast made just before the attempt
) STRICT;
CREATE INDEX attempt_open ON attempt (finished_ms) WHERE finished_ms IS NULL;
CREATE INDEX attempt_exam ON attempt (exam, finished_ms);
