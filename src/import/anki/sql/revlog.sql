-- Review log: id = answer time in ms; ease 0 = manual reschedule, type 0 learn 1 review
-- 2 relearn 3 filtered (cram) 4 manual 5 rescheduled.
SELECT id, cid, ease, time, type FROM revlog ORDER BY id;
