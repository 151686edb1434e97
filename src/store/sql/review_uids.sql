-- Every uid of the review log, read through its unique index (a bulk merge's start).
SELECT uid FROM review INDEXED BY review_uid ORDER BY uid
