-- Schema version 4: finished mock-exam attempts sync as records. A global id (given when an
-- attempt is first exported, `<device>-<random>`) makes a merge idempotent; origin NULL: a
-- local attempt not yet exported, otherwise the device that exported it.
ALTER TABLE attempt ADD COLUMN uid TEXT;
ALTER TABLE attempt ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX attempt_uid ON attempt (uid);
CREATE INDEX attempt_unexported ON attempt (id) WHERE origin IS NULL AND finished_ms IS NOT NULL;
